using Tuntas.Audit;

namespace Tuntas.Web.Pages.Audit;

/// <summary>
/// The audit trail for the administrator and the auditor ("auditor — read-only, audit log included"): the
/// newest entries, filtered by user and action, and the result of verifying the hash chain with its head to write down.
/// </summary>
public sealed class IndexModel(TuntasDb db, AuditKey key, Tuntas.Web.Security.AuditCheckpointFile checkpointFile, TimeProvider clock) : PageModel
{
    public const int PageSize = 200;

    [BindProperty(SupportsGet = true)]
    public string? Pengguna { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Tindakan { get; set; }

    public IReadOnlyList<AuditEntry> Entries { get; private set; } = [];

    public VerifyAudit.Outcome? Verification { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var query = db.AuditLog.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(Pengguna))
        {
            query = query.Where(e => e.Actor == Pengguna.Trim().ToLowerInvariant());
        }
        if (!string.IsNullOrWhiteSpace(Tindakan))
        {
            query = query.Where(e => e.Action == Tindakan);
        }
        Entries = await query.OrderByDescending(e => e.Id).Take(PageSize).ToListAsync(cancellationToken);
    }

    /// <summary>Verifies the whole chain on request (it reads every entry, so not on every view).</summary>
    public async Task OnPostVerifyAsync(CancellationToken cancellationToken)
    {
        Verification = await new VerifyAudit(db, key, checkpointFile.Path).RunAsync(new VerifyAudit.Input(), cancellationToken);
        await OnGetAsync(cancellationToken);
    }

    public AuditCheckpoint? Checkpoint { get; private set; }

    /// <summary>A signed checkpoint of the head now (the web app also takes one daily), then the chain verified against it.</summary>
    public async Task OnPostCheckpointAsync(CancellationToken cancellationToken)
    {
        Checkpoint = (await new WriteCheckpoint(db, key, clock, checkpointFile.Path).RunAsync(cancellationToken)).Checkpoint;
        await OnPostVerifyAsync(cancellationToken);
    }

    public static IReadOnlyList<string> Actions { get; } =
        [AuditActions.SignIn, AuditActions.SignInFailed, AuditActions.AccessDenied, AuditActions.ViewFamily, AuditActions.ViewComplaint, AuditActions.ViewPersonalData, AuditActions.RevealNik,
         AuditActions.Export, AuditActions.Import, AuditActions.Change];
}
