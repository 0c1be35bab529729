using Tuntas.Registry;

namespace Tuntas.P2kp;

/// <summary>The columns the loan-book import writes on the bulk path (<see cref="Data.BulkInsert{T}"/>), in table order.</summary>
internal static class P2kpColumns
{
    private static BulkColumn<T> C<T>(string sql, ColumnKind kind, Func<T, ColumnValue> get) => new(sql, kind, get);

    public static readonly IReadOnlyList<BulkColumn<Ksm>> Ksm =
    [
        C<Ksm>("id", ColumnKind.Long, k => k.Id), C<Ksm>("upk_id", ColumnKind.Long, k => k.UpkId), C<Ksm>("kode", ColumnKind.Text, k => k.Kode),
        C<Ksm>("name", ColumnKind.Text, k => k.Name), C<Ksm>("kode_desa", ColumnKind.Text, k => k.KodeDesa), C<Ksm>("jenis", ColumnKind.Text, k => k.Jenis),
        C<Ksm>("formed_on", ColumnKind.Date, k => k.FormedOn), C<Ksm>("ketua_nik", ColumnKind.Text, k => k.KetuaNik),
    ];

    public static readonly IReadOnlyList<BulkColumn<KsmMember>> KsmMember =
    [
        C<KsmMember>("id", ColumnKind.Long, m => m.Id), C<KsmMember>("ksm_id", ColumnKind.Long, m => m.KsmId), C<KsmMember>("nik", ColumnKind.Text, m => m.Nik),
        C<KsmMember>("name", ColumnKind.Text, m => m.Name), C<KsmMember>("role", ColumnKind.Text, m => m.Role), C<KsmMember>("person_id", ColumnKind.Long, m => m.PersonId),
    ];

    public static readonly IReadOnlyList<BulkColumn<UpkLoan>> Loan =
    [
        C<UpkLoan>("id", ColumnKind.Long, l => l.Id), C<UpkLoan>("upk_id", ColumnKind.Long, l => l.UpkId), C<UpkLoan>("ksm_id", ColumnKind.Long, l => l.KsmId),
        C<UpkLoan>("nomor", ColumnKind.Text, l => l.Nomor), C<UpkLoan>("status", ColumnKind.Text, l => l.Status), C<UpkLoan>("principal", ColumnKind.Long, l => l.Principal),
        C<UpkLoan>("rate_hundredths", ColumnKind.Int, l => l.RateHundredths), C<UpkLoan>("method", ColumnKind.Text, l => l.Method),
        C<UpkLoan>("term_months", ColumnKind.Int, l => l.TermMonths), C<UpkLoan>("first_due_on", ColumnKind.Date, l => l.FirstDueOn),
        C<UpkLoan>("proposed_on", ColumnKind.Date, l => l.ProposedOn), C<UpkLoan>("approved_on", ColumnKind.Date, l => l.ApprovedOn),
        C<UpkLoan>("disbursed_on", ColumnKind.Date, l => l.DisbursedOn),
    ];

    public static readonly IReadOnlyList<BulkColumn<UpkInstallment>> Installment =
    [
        C<UpkInstallment>("loan_id", ColumnKind.Long, i => i.LoanId), C<UpkInstallment>("k", ColumnKind.Int, i => i.K),
        C<UpkInstallment>("due_on", ColumnKind.Date, i => i.DueOn), C<UpkInstallment>("principal", ColumnKind.Long, i => i.Principal),
        C<UpkInstallment>("service", ColumnKind.Long, i => i.Service),
    ];

    public static readonly IReadOnlyList<BulkColumn<UpkRepayment>> Repayment =
    [
        C<UpkRepayment>("id", ColumnKind.Long, r => r.Id), C<UpkRepayment>("loan_id", ColumnKind.Long, r => r.LoanId),
        C<UpkRepayment>("paid_on", ColumnKind.Date, r => r.PaidOn), C<UpkRepayment>("principal", ColumnKind.Long, r => r.Principal),
        C<UpkRepayment>("service", ColumnKind.Long, r => r.Service),
    ];

    public static readonly IReadOnlyList<BulkColumn<UpkOperation>> Operation =
    [
        C<UpkOperation>("upk_id", ColumnKind.Long, o => o.UpkId), C<UpkOperation>("month", ColumnKind.Text, o => o.Month),
        C<UpkOperation>("income", ColumnKind.Long, o => o.Income), C<UpkOperation>("costs", ColumnKind.Long, o => o.Costs),
    ];

    public static readonly IReadOnlyList<BulkColumn<UpkCapital>> Capital =
    [
        C<UpkCapital>("id", ColumnKind.Long, c => c.Id), C<UpkCapital>("upk_id", ColumnKind.Long, c => c.UpkId), C<UpkCapital>("source", ColumnKind.Text, c => c.Source),
        C<UpkCapital>("received_on", ColumnKind.Date, c => c.ReceivedOn), C<UpkCapital>("amount", ColumnKind.Long, c => c.Amount),
    ];
}
