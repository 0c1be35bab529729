namespace Tuntas.P2kp.Performance;

/// <summary>
/// The loan indicators of LOAN-BOOK-FORMAT.md §4 computed a second, independent way: in one plain SQL statement over
/// the stored schedule (<c>upk_installments</c>, cumulative principal by window function) and the repayments, for both
/// providers, with the same reading of closed loans (a written-off loan in RR only). The reference that the tests and the
/// benchmark hold <see cref="UpkPerformance"/> against; not used by the product's pages.
/// </summary>
public sealed class UpkPerformanceSql(TuntasDatabase database)
{
    /// <summary>Per UPK id: Σ due, Σ min(paid, due), Σ outstanding, Σ outstanding at risk, active loans, active KSM, KSM at risk, active loans per kolektibilitas 1–5.</summary>
    public sealed record Row(long UpkId, long Due, long PaidUpToDue, long Outstanding, long OutstandingAtRisk, long ActiveLoans, long ActiveKsm, long KsmAtRisk, long[] Kolektibilitas);

    private const string Sql = """
        WITH loans AS (
            SELECT id, upk_id, ksm_id, principal, CASE WHEN closed_on IS NOT NULL AND closed_on <= @d THEN 1 ELSE 0 END AS closed,
                   CASE WHEN closed_on IS NOT NULL AND closed_on <= @d THEN closed_on ELSE @d END AS due_until FROM upk_loans
            WHERE disbursed_on IS NOT NULL AND disbursed_on <= @d AND (closed_on IS NULL OR closed_on > @d OR status = 'dihapusbukukan')),
        paid AS (
            SELECT r.loan_id, SUM(r.principal) AS paid FROM upk_repayments r JOIN loans l ON l.id = r.loan_id
            WHERE r.paid_on <= @d GROUP BY r.loan_id),
        schedule AS (
            SELECT i.loan_id, i.principal,
                   SUM(i.principal) OVER (PARTITION BY i.loan_id ORDER BY i.k ROWS UNBOUNDED PRECEDING) AS cumulative
            FROM upk_installments i JOIN loans l ON l.id = i.loan_id
            WHERE i.due_on <= l.due_until),
        due AS (
            SELECT s.loan_id, SUM(s.principal) AS due,
                   SUM(CASE WHEN COALESCE(p.paid, 0) < s.cumulative THEN 1 ELSE 0 END) AS arrears
            FROM schedule s LEFT JOIN paid p ON p.loan_id = s.loan_id GROUP BY s.loan_id),
        state AS (
            SELECT l.upk_id, l.ksm_id, COALESCE(d.due, 0) AS due, COALESCE(p.paid, 0) AS paid,
                   CASE WHEN l.closed = 1 THEN 0 WHEN l.principal - COALESCE(p.paid, 0) > 0 THEN l.principal - COALESCE(p.paid, 0) ELSE 0 END AS outstanding,
                   COALESCE(d.arrears, 0) AS arrears
            FROM loans l LEFT JOIN paid p ON p.loan_id = l.id LEFT JOIN due d ON d.loan_id = l.id)
        SELECT upk_id,
               SUM(due),
               SUM(CASE WHEN paid < due THEN paid ELSE due END),
               SUM(outstanding),
               SUM(CASE WHEN arrears >= 3 THEN outstanding ELSE 0 END),
               SUM(CASE WHEN outstanding > 0 THEN 1 ELSE 0 END),
               COUNT(DISTINCT CASE WHEN outstanding > 0 THEN ksm_id END),
               COUNT(DISTINCT CASE WHEN outstanding > 0 AND arrears >= 3 THEN ksm_id END),
               SUM(CASE WHEN outstanding > 0 AND arrears = 0 THEN 1 ELSE 0 END),
               SUM(CASE WHEN outstanding > 0 AND arrears BETWEEN 1 AND 2 THEN 1 ELSE 0 END),
               SUM(CASE WHEN outstanding > 0 AND arrears BETWEEN 3 AND 5 THEN 1 ELSE 0 END),
               SUM(CASE WHEN outstanding > 0 AND arrears BETWEEN 6 AND 8 THEN 1 ELSE 0 END),
               SUM(CASE WHEN outstanding > 0 AND arrears >= 9 THEN 1 ELSE 0 END)
        FROM state GROUP BY upk_id ORDER BY upk_id
        """;

    public async Task<IReadOnlyList<Row>> RunAsync(DateOnly asOf, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = Sql;
        command.CommandTimeout = 600;
        command.AddParameter("@d", database.DateParameter(asOf));
        var rows = new List<Row>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            long L(int i) => reader.IsDBNull(i) ? 0 : Convert.ToInt64(reader.GetValue(i), CultureInfo.InvariantCulture);
            rows.Add(new Row(L(0), L(1), L(2), L(3), L(4), L(5), L(6), L(7), [L(8), L(9), L(10), L(11), L(12)]));
        }
        return rows;
    }
}
