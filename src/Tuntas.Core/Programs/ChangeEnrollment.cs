namespace Tuntas.Programs;

/// <summary>
/// Suspends, re-activates or ends an enrollment, with a reason and a date, recording the step in its history. An
/// enrollment is never deleted (OpenSID #11072: "deactivate or replace participants with a reason … and keep history").
/// </summary>
/// <param name="regency">Its time zone says what "today" is, as for the recipient lists that start enrollments
/// (<see cref="ImportRecipients"/>): an exit recorded in WIB's morning is not dated the day before its start.</param>
public sealed class ChangeEnrollment(TuntasDb db, TimeProvider clock, Microsoft.Extensions.Options.IOptions<Regions.RegencyOptions>? regency = null)
{
    public sealed record Input(long EnrollmentId, string Status, string? Reason, DateOnly? EffectiveOn, string? Note, string By);

    public sealed record Outcome(Enrollment? Enrollment, string? Problem, string? ProblemEn);

    public async Task<Outcome> RunAsync(Input input, CancellationToken cancellationToken)
    {
        var enrollment = await db.Enrollments.SingleOrDefaultAsync(e => e.Id == input.EnrollmentId, cancellationToken);
        if (enrollment is null)
        {
            return new Outcome(null, "Kepesertaan tidak ditemukan.", "Enrollment not found.");
        }
        if (enrollment.Status == ProgramTerms.Exited)
        {
            return new Outcome(null, "Kepesertaan sudah berakhir; daftarkan ulang bila perlu.", "The enrollment has ended; enroll again if needed.");
        }
        if (!ProgramTerms.Is(ProgramTerms.Statuses, input.Status) || input.Status == enrollment.Status)
        {
            return new Outcome(null, "Status baru harus berbeda: terdaftar, ditangguhkan atau keluar.", "The new status must differ: terdaftar, ditangguhkan or keluar.");
        }
        if (input.Status == ProgramTerms.Exited && !ProgramTerms.Is(ProgramTerms.ExitReasons, input.Reason))
        {
            var reasons = string.Join(", ", ProgramTerms.ExitReasons.Select(r => r.Code));
            return new Outcome(null, "Alasan keluar wajib: " + reasons + ".", "An exit reason is required: " + reasons + ".");
        }
        if (input.Status == ProgramTerms.Suspended && string.IsNullOrWhiteSpace(input.Reason) && string.IsNullOrWhiteSpace(input.Note))
        {
            return new Outcome(null, "Penangguhan perlu alasan atau catatan.", "A suspension needs a reason or a note.");
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var today = Regions.RegencyOptions.Of(regency).Today(clock);
        var effective = input.EffectiveOn ?? today;
        if (effective > today)
        {
            // The status changes when it is recorded: an exit dated 2099 (a slip for 2026) ended the enrollment today
            // under a date that says it is still running. A change is recorded when it has happened.
            return new Outcome(null, $"Tanggal berlaku {effective:yyyy-MM-dd} belum tiba: catat perubahan status setelah terjadi.",
                $"The effective date {effective:yyyy-MM-dd} has not come yet: record a status change once it has happened.");
        }
        if (effective < enrollment.StartedOn)
        {
            return new Outcome(null, "Tanggal berlaku sebelum tanggal mulai kepesertaan.", "The effective date is before the enrollment started.");
        }
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        enrollment.Status = input.Status;
        enrollment.UpdatedAt = now;
        if (input.Status == ProgramTerms.Exited)
        {
            enrollment.EndedOn = effective;
            enrollment.ExitReason = input.Reason;
        }
        db.EnrollmentEvents.Add(new EnrollmentEvent
        {
            EnrollmentId = enrollment.Id,
            Status = input.Status,
            Reason = input.Reason,
            EffectiveOn = effective,
            Note = string.IsNullOrWhiteSpace(input.Note) ? null : input.Note.Trim(),
            RecordedBy = input.By,
            RecordedAt = now,
        });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new Outcome(enrollment, null, null);
    }
}
