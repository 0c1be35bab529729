using Microsoft.Extensions.DependencyInjection;
using Tuntas.P2kp.Institutions;
using Tuntas.P2kp.LoanBook;
using Tuntas.P2kp.Loans;
using Tuntas.P2kp.Performance;
using Tuntas.P2kp.Planning;
using Tuntas.P2kp.Works;

namespace Tuntas.P2kp;

/// <summary>P2KP (docs/p2kp.md): BKM, KSM, the UPK's loans and loan book, and its indicators.</summary>
public static class P2kpSetup
{
    public static IServiceCollection AddP2kp(this IServiceCollection services) => services
        .AddScoped<SaveBkm>()
        .AddScoped<FormKsm>()
        .AddScoped<FamilyKsm>()
        .AddScoped<ProposeLoan>()
        .AddScoped<DecideLoan>()
        .AddScoped<DisburseLoan>()
        .AddScoped<RecordRepayment>()
        .AddScoped<CloseLoan>()
        .AddScoped<CollectionWorklist>()
        .AddScoped<ImportLoanBook>()
        .AddScoped<UpkPerformance>()
        .AddScoped<UpkMonthlyReport>()
        .AddScoped<Graduation>()
        .AddScoped<CommunityMapping>()
        .AddScoped<SavePlan>()
        .AddScoped<SaveActivity>()
        .AddScoped<ReadPlans>()
        .AddScoped<ImportCommunityMapping>()
        .AddScoped<ExportActivities>()
        .AddScoped<ActivityBeneficiaries>()
        .AddScoped<RecordProgress>()
        .AddScoped<ReadActivity>()
        .AddScoped<GiveGrant>()
        .AddScoped<ReadGrants>()
        .AddScoped<FamilyWorksAndGrants>();
}
