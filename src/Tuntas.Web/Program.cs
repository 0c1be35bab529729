using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Localization;
using Tuntas.Audit;
using Tuntas.Collaboration;
using Tuntas.Complaints;
using Tuntas.Dashboard;
using Tuntas.Imports;
using Tuntas.P2kp;
using Tuntas.Programs;
using Tuntas.PublicPortal;
using Tuntas.Regions;
using Tuntas.Registry;
using Tuntas.Targeting;
using Tuntas.Users;
using Tuntas.Web;
using Tuntas.Web.Api;
using Tuntas.Web.Dci;
using Tuntas.Web.Imports;
using Tuntas.Web.Notifications;
using Tuntas.Web.OpenRosa;
using Tuntas.Web.PublicPortal;
using Tuntas.Web.Registry;
using Tuntas.Web.Verivali;

// Composition root of the back office and the API (ARCHITECTURE §1, §4).
var builder = WebApplication.CreateBuilder(args);
var database = TuntasDatabase.FromConfiguration(builder.Configuration, builder.Environment.ContentRootPath);
var uploads = UploadOptions.FromConfiguration(builder.Configuration, builder.Environment.ContentRootPath);

builder.Services.AddTuntasDatabase(database);
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton(uploads);
// The regency and its time zone (section "Tuntas"), read by Core as IOptions; a wrong setting stops the start.
builder.Services.AddOptions<RegencyOptions>().BindConfiguration(RegencyOptions.Section)
    .PostConfigure(options => options.Normalize())
    .Validate(options => options.Validate() is null, "Tuntas:Regency or Tuntas:TimeZone is not valid / tidak sah")
    .ValidateOnStart();

// Security (OWASP ASVS level 2, docs/security.md): the keyed audit chain and its group-committing writer, sign-in
// throttling, the second factor, server-side sessions, API clients bound to a region like users.
var auditKey = Tuntas.Audit.AuditKey.FromConfiguration(builder.Configuration, builder.Environment.ContentRootPath, database);
builder.Services.AddSingleton(auditKey);
builder.Services.AddSingleton(new AuditCheckpointFile(Tuntas.Audit.WriteCheckpoint.FileFromConfiguration(builder.Configuration, builder.Environment.ContentRootPath, database)));
builder.Services.AddSingleton<Tuntas.Audit.AuditWriter>();
builder.Services.AddHostedService<AuditCheckpointWorker>();
builder.Services.AddSingleton(Tuntas.Users.SignInThrottle.Options.FromConfiguration(builder.Configuration));
builder.Services.AddSingleton<Tuntas.Users.SignInThrottle>();
builder.Services.AddScoped<SignInCompletion>();
PasswordPolicy.UseBreachedList(builder.Configuration["Security:BreachedPasswordsFile"]);

// Each feature registers its own use cases (one sealed class each, resolved per request; ARCHITECTURE §2).
builder.Services.AddUsersAndAccess();
builder.Services.AddRegistry();
builder.Services.AddTargeting();
builder.Services.AddPrograms();
builder.Services.AddDashboard();
builder.Services.AddPublicPortal();
builder.Services.AddComplaints();
builder.Services.AddCollaboration();
builder.Services.AddP2kp();
// One registry writer, the field editor and the verivali cycle (docs/registry.md, docs/verivali.md).
builder.Services.AddRegistryWriting();
builder.Services.AddVerivali(builder.Configuration);
// Field data collection over OpenRosa (docs/field-collection.md): ODK Collect / KoboCollect with device tokens.
builder.Services.AddFieldCollection();
// DCI Social Registry API (docs/dci.md): client-credentials tokens and the sync search.
builder.Services.AddDci(builder.Configuration);

// What only the web host does: uploads queued for the import worker, the back office's family list, the demo.
builder.Services.AddScoped<ListFamilies>();
builder.Services.AddScoped<ImportUploads>();
builder.Services.AddSingleton<Tuntas.Web.Uploads.FileReadGate>();
builder.Services.AddSingleton<ImportQueue>();
builder.Services.AddHostedService<ImportWorker>();
builder.Services.AddScoped<DemoSeeding>();
// The public side's limits: status checks per client, NIK and prefix; transparency figures kept by data state.
builder.Services.AddSingleton(new Tuntas.PublicPortal.PublicRateLimits(Tuntas.PublicPortal.PublicRateLimits.Options.FromConfiguration(builder.Configuration)));
builder.Services.AddSingleton(Tuntas.PublicPortal.PublicCache.Options.FromConfiguration(builder.Configuration));
builder.Services.AddSingleton<Tuntas.PublicPortal.PublicCache>();
builder.Services.AddTransparencyRateLimit(builder.Configuration);
// Attachments (complaints, evidence, scans, field photos) outside the web root; notifications from an outbox.
builder.Services.AddSingleton(Tuntas.Attachments.AttachmentStore.FromConfiguration(builder.Configuration, builder.Environment.ContentRootPath));
builder.Services.AddSingleton<Tuntas.Notifications.INotificationSender, Tuntas.Notifications.LoggingNotificationSender>();
builder.Services.AddNotifications(builder.Configuration);
// Background work: complaint SLA escalation and the weekly digest of open meeting actions.
builder.Services.AddHostedService<Tuntas.Web.Complaints.ComplaintEscalationWorker>();
builder.Services.AddHostedService<Tuntas.Web.Collaboration.DigestWorker>();

// Authentication: a cookie for people, an X-Api-Key for machines, one policy scheme choosing between them. /api never
// redirects: anonymous → 401, wrong role → 403, both as ProblemDetails (written by the status-code-pages middleware).
builder.Services.AddAuthentication(AuthSchemes.Default)
    .AddPolicyScheme(AuthSchemes.Default, "Cookie or API key", options =>
        options.ForwardDefaultSelector = context =>
            Tuntas.Web.Dci.DciAuthentication.UsesBearer(context.Request) ? Tuntas.Web.Dci.DciTokens.Scheme
            : ApiPaths.IsApi(context.Request) && context.Request.Headers.ContainsKey(ApiKeyHandler.HeaderName)
                ? AuthSchemes.ApiKey
                : CookieAuthenticationDefaults.AuthenticationScheme)
    .AddCookie(CookieAuthenticationDefaults.AuthenticationScheme, options =>
    {
        options.LoginPath = "/Masuk";
        options.LogoutPath = "/Keluar";
        options.AccessDeniedPath = "/Ditolak";
        options.ExpireTimeSpan = TimeSpan.FromMinutes(30);
        options.SlidingExpiration = true;
        options.Cookie.Name = "tuntas.masuk";
        options.Cookie.HttpOnly = true;
        options.Cookie.SameSite = SameSiteMode.Strict;
        options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        options.Events.OnRedirectToLogin = context => ApiPaths.StatusOrRedirect(context, StatusCodes.Status401Unauthorized);
        options.Events.OnRedirectToAccessDenied = context => ApiPaths.StatusOrRedirect(context, StatusCodes.Status403Forbidden);
    })
    .AddScheme<AuthenticationSchemeOptions, ApiKeyHandler>(AuthSchemes.ApiKey, null)
    .AddDciBearer();
// One authorization policy per permission, declared by its feature in Core (Access/Permission.cs).
builder.Services.AddPermissionPolicies();
// Run summaries may hold NaN (an R² or error that cannot be computed): write them as "NaN" rather than fail.
builder.Services.ConfigureHttpJsonOptions(options =>
{
    options.SerializerOptions.NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals;
    // Stored UTC times leave with their offset (Z): an RFC 3339 date-time, as the OpenAPI document says.
    options.SerializerOptions.Converters.Add(new UtcDateTimeConverter());
});

builder.Services.AddLocalization(options => options.ResourcesPath = "Resources");
builder.Services.Configure<RequestLocalizationOptions>(options =>
{
    // Bahasa Indonesia by default; English when the culture cookie (set by the language switch) says so.
    CultureInfo[] cultures = [new("id"), new("en")];
    options.DefaultRequestCulture = new RequestCulture("id");
    options.SupportedCultures = cultures;
    options.SupportedUICultures = cultures;
    options.RequestCultureProviders = [new CookieRequestCultureProvider()];
});
builder.Services.AddRazorPages(options =>
{
    // The folder tree is the security boundary (ARCHITECTURE §4): everything needs a sign-in, /Impor an import role.
    options.Conventions.AuthorizeFolder("/");
    options.Conventions.AuthorizeFolder("/Impor", RegistryPermissions.Write.Name);
    options.Conventions.AuthorizeFolder("/Ekspor", RegistryPermissions.Export.Name);
    options.Conventions.AuthorizeFolder("/Audit", AuditPermissions.Read.Name);
    options.Conventions.AuthorizeFolder("/Pengguna", UserPermissions.Manage.Name);
    options.Conventions.AuthorizeFolder("/Duplikat", RegistryPermissions.ReviewDuplicates.Name);
    options.Conventions.AuthorizePage("/Keluarga/Ubah", RegistryPermissions.Write.Name);
    options.Conventions.AuthorizeFolder("/Notifikasi", UserPermissions.Manage.Name);
    options.Conventions.AllowAnonymousToPage("/Masuk");
    options.Conventions.AllowAnonymousToPage("/MasukKode");
    options.Conventions.AllowAnonymousToFolder("/Publik");
    options.Conventions.AllowAnonymousToPage("/Error");
    options.Conventions.AllowAnonymousToPage("/Status");
    // A POST or named handler that the page does not have, or a NUL in a form field: 400 (Security/InputGuard.cs).
    options.Conventions.ConfigureFilter(new PageInputFilter());
});
builder.Services.AddAntiforgery(options =>
{
    options.Cookie.Name = "tuntas.af";
    options.Cookie.SameSite = SameSiteMode.Strict;
    options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
});
builder.Services.Configure<FormOptions>(options => options.MultipartBodyLengthLimit = uploads.MaxBytes);
builder.Services.AddProblemDetails();
builder.Services.AddExceptionHandler<ApiProblems.RefusedExceptionHandler>();
// A value the API cannot bind (dryRun=1 for a boolean) is thrown in every environment, not only in Development, so that
// its 400 names the parameter (ApiProblems.BindingExceptionHandler) rather than leaving a bare "Bad Request".
builder.Services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
builder.Services.AddExceptionHandler<ApiProblems.BindingExceptionHandler>();
builder.Services.AddOpenApi(options => options.AddDocumentTransformer((document, _, _) =>
{
    document.Info.Title = "Tuntas API";
    document.Info.Description = "Registri keluarga miskin kabupaten / regency poverty registry. Sign in with the back-office cookie or send an API key in X-Api-Key. NIK and NO_KK are masked unless the role may see them, and are never accepted in a URL.";
    return Task.CompletedTask;
}));
// The document says what the API does: security schemes, operation ids, unique schema names (Api/OpenApiDescription.cs).
builder.Services.AddTuntasOpenApi();
builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database");

var app = builder.Build();
// Behind a reverse proxy on this host (nginx on loopback, the default known proxy), take the client's address from
// X-Forwarded-For: rate limits and the audit trail need the citizen's address, not the proxy's. A client connecting
// directly cannot set it (its address is not a known proxy).
app.UseForwardedHeaders(new ForwardedHeadersOptions
{
    ForwardedHeaders = Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedFor | Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedProto,
});

app.UseWhen(ApiPaths.IsApi, api =>
{
    api.UseExceptionHandler(new ExceptionHandlerOptions { StatusCodeSelector = InputGuard.StatusFor, SuppressDiagnosticsCallback = InputGuard.IsClientError });
    // Every bodiless error status on /api (401, 403, 404, 405, 429 …) leaves as RFC 9457 problem details, whatever the
    // Accept header says: the OpenAPI document promises application/problem+json (Api/OpenApiDescription.cs).
    api.UseStatusCodePages(context => Results.Problem(statusCode: context.HttpContext.Response.StatusCode).ExecuteAsync(context.HttpContext));
});
app.UseWhen(context => !ApiPaths.IsApi(context), pages =>
{
    // Written without re-running the pipeline, so it still shows when the database is down (Security/ErrorPage.cs).
    pages.UseExceptionHandler(new ExceptionHandlerOptions
    {
        ExceptionHandler = ErrorPage.WriteAsync,
        StatusCodeSelector = InputGuard.StatusFor,
        SuppressDiagnosticsCallback = InputGuard.IsClientError,
    });
    // A refused form, a missing page, an oversized upload or a rate limit get a page that says what to do.
    pages.UseStatusCodePagesWithReExecute("/Status/{0}");
});
if (!app.Environment.IsDevelopment())
{
    app.UseHsts();
}
var staticTypes = new Microsoft.AspNetCore.StaticFiles.FileExtensionContentTypeProvider();
staticTypes.Mappings[".geojson"] = "application/geo+json";
app.UseStaticFiles(new StaticFileOptions
{
    ContentTypeProvider = staticTypes,
    // Boundaries (~400 KB per regency) and the vendored Leaflet change only with a release: let browsers keep them a day.
    OnPrepareResponse = context =>
    {
        if (context.Context.Request.Path.StartsWithSegments("/geo") || context.Context.Request.Path.StartsWithSegments("/lib"))
        {
            context.Context.Response.Headers.CacheControl = "public, max-age=86400";
        }
    },
});
app.Use(SecurityHeaders.AddAsync);
// Before sign-in and the account check, which read the database: in an outage /health answers 503 for everyone.
app.UseHealthChecks("/health");
app.Use(UploadOptions.RaiseBodyLimitForUploadsAsync);
// ODK Collect's server URL carries the device token (/key/TOKEN/…): moved out of the path before routing and audit.
app.Use(OpenRosaApi.RewriteTokenPath);
app.UseRequestLocalization();
app.UseRouting();
app.UseRateLimiter();
app.UseAuthentication();
// Who may see what: re-checks the account and attaches its AccessScope, before anything reads data.
app.UseMiddleware<AccessScopeMiddleware>();
// After authentication (who) and around authorization (refusals are recorded too): the audit trail (docs/security.md).
app.UseMiddleware<AuditMiddleware>();
app.UseAuthorization();
// NUL and unpaired surrogates in the path, query, form or JSON: 400 before any page or endpoint (PostgreSQL refuses NUL).
app.UseMiddleware<InputGuard>();

app.MapRazorPages();
app.MapFamiliesApi();
app.MapTargetingApi();
app.MapProgramsApi();
app.MapDashboardApi();
app.MapPublicApi();
app.MapCollaborationApi();
app.MapMeetingsApi();
app.MapVillageLabApi();
app.MapComplaintsApi();
app.MapP2kpApi();
app.MapDuplicatesApi();
app.MapFamilyEditApi();
app.MapVerivaliApi();
app.MapImportDownloads();
app.MapDciApi();
app.MapLanguageSwitch();
app.MapOpenRosa();
app.MapFieldApi();
app.MapOpenApi().AllowAnonymous();

await StartUp.PrepareDatabaseAsync(app);
app.Lifetime.ApplicationStarted.Register(() => StartUp.PrintHowToSignIn(app));
await app.RunAsync();

public partial class Program;
