using System.Security.Claims;
using Tuntas.Users;
using Tuntas.Verivali;
using Tuntas.Web.Security;

namespace Tuntas.Web.Verivali;

/// <summary>The verivali feature's services and authorization policies (docs/verivali.md#who-does-what).</summary>
public static class VerivaliSetup
{
    /// <summary>Opens and closes periods, exports the proposal: the regency (administrator, TKPKD, Dinas Sosial officer).</summary>
    public const string Regency = "verivali-kabupaten";
    /// <summary>Assigns, reviews, records the musdes, applies: the village operator (in its village), administrator, TKPKD.</summary>
    public const string Village = "verivali-desa";
    /// <summary>Records visits: facilitators, relawan, and the village roles.</summary>
    public const string Visit = "verivali-kunjungan";

    public static bool MayRunRegency(this ClaimsPrincipal user) => user.Role() is Roles.Administrator or Roles.TkpkdCoordinator or Roles.AgencyOfficer;

    public static bool MayRunVillage(this ClaimsPrincipal user) => user.Role() is Roles.Administrator or Roles.TkpkdCoordinator or Roles.VillageOperator;

    public static bool MayVisit(this ClaimsPrincipal user) => user.MayRunVillage() || user.Role() is Roles.Facilitator or Roles.Relawan;

    public static IServiceCollection AddVerivali(this IServiceCollection services)
    {
        services.AddScoped<OpenPeriod>();
        services.AddScoped<AssignLines>();
        services.AddScoped<RecordVisit>();
        services.AddScoped<ReviewVisit>();
        services.AddScoped<DecideLines>();
        services.AddScoped<BeritaAcara>();
        services.AddScoped<CloseMusdes>();
        services.AddScoped<ApplyDecisions>();
        services.AddScoped<ClosePeriod>();
        services.AddScoped<ExportProposal>();
        services.AddScoped<VillageProgress>();
        services.AddAuthorizationBuilder()
            .AddPolicy(Regency, p => p.RequireAuthenticatedUser().RequireAssertion(c => c.User.MayRunRegency()))
            .AddPolicy(Village, p => p.RequireAuthenticatedUser().RequireAssertion(c => c.User.MayRunVillage()))
            .AddPolicy(Visit, p => p.RequireAuthenticatedUser().RequireAssertion(c => c.User.MayVisit()));
        return services;
    }
}
