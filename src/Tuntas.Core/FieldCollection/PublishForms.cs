using System.Security.Cryptography;

namespace Tuntas.FieldCollection;

/// <summary>
/// The current version of each field form. The forms are generated from the registry's field rules and code lists,
/// which change only with a release: the generated content is hashed once per process, and when it differs from the
/// newest stored version a new version (number + 1) is stored. Older versions stay in <c>field_forms</c>, so a phone that
/// has not updated its blank form yet still sends submissions that are taken.
/// </summary>
public sealed class PublishForms(TuntasDb db, TimeProvider clock)
{
    private static readonly Lazy<Dictionary<string, string>> _contentHashes = new(() =>
        FieldForms.All.ToDictionary(f => f, f => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(FieldForms.Build(f, 0))))));

    public async Task<IReadOnlyList<FieldForm>> RunAsync(CancellationToken cancellationToken)
    {
        var current = new List<FieldForm>();
        foreach (var formId in FieldForms.All)
        {
            current.Add(await CurrentAsync(formId, cancellationToken));
        }
        return current;
    }

    public async Task<FieldForm> CurrentAsync(string formId, CancellationToken cancellationToken)
    {
        var contentHash = _contentHashes.Value[formId];
        for (var attempt = 0; ; attempt++)
        {
            var latest = await db.FieldForms.AsNoTracking().Where(f => f.FormId == formId).OrderByDescending(f => f.Version).FirstOrDefaultAsync(cancellationToken);
            if (latest?.ContentHash == contentHash)
            {
                return latest;
            }
            var version = (latest?.Version ?? 0) + 1;
            var xml = FieldForms.Build(formId, version);
            var form = new FieldForm
            {
                FormId = formId,
                Version = version,
                Hash = Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(xml))),
                ContentHash = contentHash,
                Xml = xml,
                CreatedAt = clock.GetUtcNow().UtcDateTime,
            };
            db.FieldForms.Add(form);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return form;
            }
            catch (DbUpdateException) when (attempt < 3)
            {
                // Another request published the same version first (unique form_id, version): read it again.
                db.ChangeTracker.Clear();
            }
        }
    }
}
