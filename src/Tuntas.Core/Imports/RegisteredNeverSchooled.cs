using System.Data.Common;
using Microsoft.EntityFrameworkCore.Storage;
using Tuntas.Imports.Profiles;

namespace Tuntas.Imports;

/// <summary>
/// The NIKs of one village's persons whose education (PENDIDIKAN) the registry holds as 1, tidak/belum sekolah: a DTKS
/// workbook's 415 = 23 without 412 keeps it (<see cref="ProfileContext.RegisteredNeverSchooled"/>). Read in one place
/// for the import (before it reads the workbook) and for the preview's callers (<see cref="PreviewImport.WithRegistryAsync"/>),
/// so that the preview shows the 1 the import keeps. Only the file's village's persons: the village is inside the
/// reader's area, or the file is refused before anything is read.
/// </summary>
public static class RegisteredNeverSchooled
{
    /// <param name="village">Dotted (33.14.01.2001).</param>
    public static async Task<IReadOnlySet<string>> LoadAsync(DbConnection connection, DbTransaction? transaction, string village, CancellationToken cancellationToken) =>
        (await LoadWithVillageAsync(connection, transaction, village, cancellationToken)).NeverSchooled;

    /// <summary>The same, and every NIK of the village, in one read: the import looks up one by one only a person of
    /// another village (<c>ImportFamilies</c>), not each of the village's pupils whose 415 is 23.</summary>
    public static async Task<(IReadOnlySet<string> NeverSchooled, IReadOnlySet<string> OfVillage)> LoadWithVillageAsync(DbConnection connection,
        DbTransaction? transaction, string village, CancellationToken cancellationToken)
    {
        var (never, all) = (new HashSet<string>(StringComparer.Ordinal), new HashSet<string>(StringComparer.Ordinal));
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT nik, pendidikan FROM persons";
        ImportFamilies.InVillage(command, "persons", village);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var nik = reader.GetString(0);
            all.Add(nik);
            if (Convert.ToInt32(reader.GetValue(1), System.Globalization.CultureInfo.InvariantCulture) == 1)
            {
                never.Add(nik);
            }
        }
        return (never, all);
    }

    /// <summary>The same, on the connection of an EF context (the back office, the API, the CLI's preview).</summary>
    public static async Task<IReadOnlySet<string>> LoadAsync(TuntasDb db, string village, CancellationToken cancellationToken)
    {
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            return await LoadAsync(db.Database.GetDbConnection(), db.Database.CurrentTransaction?.GetDbTransaction(), village, cancellationToken);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}
