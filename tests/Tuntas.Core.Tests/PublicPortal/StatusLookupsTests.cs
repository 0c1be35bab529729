using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Tuntas.Demo;
using Tuntas.Programs;
using Tuntas.PublicPortal;
using Tuntas.Registry;
using Tuntas.Testing;

namespace Tuntas.Core.Tests.PublicPortal;

/// <summary>Checks in flight at once are read in shared batches; each still gets its own answer.</summary>
public sealed class StatusLookupsTests
{
    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Hundreds_of_concurrent_checks_each_get_the_answer_of_a_check_alone(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        await new SeedPrograms(test.Database, TimeProvider.System).RunAsync(CancellationToken.None);
        await new SeedDemoRegistry(test.Database, TimeProvider.System).RunAsync(new GenerateDemoRegistry.Input(Families: 120, Seed: 7), null, CancellationToken.None);
        List<(string Nik, string Nama, string NoKk, long FamilyId)> people;
        Dictionary<long, List<string>> programsOf;
        await using (var db = test.Database.CreateDb())
        {
            people = [.. (await db.Persons.AsNoTracking().Where(p => p.StatusHidup == LifeStatus.Hidup)
                    .Join(db.Families, p => p.FamilyId, f => f.Id, (p, f) => new { p.Nik, p.Nama, f.NoKk, p.FamilyId })
                    .OrderBy(p => p.Nik).Take(150).ToListAsync())
                .Select(p => (p.Nik, p.Nama, p.NoKk, p.FamilyId))];
            programsOf = (await db.Enrollments.AsNoTracking().Where(e => e.Status != ProgramTerms.Exited)
                    .Join(db.Programs, e => e.ProgramId, pr => pr.Id, (e, pr) => new { e.FamilyId, pr.Code }).ToListAsync())
                .GroupBy(e => e.FamilyId).ToDictionary(g => g.Key, g => g.Select(e => e.Code).Distinct().Order(StringComparer.Ordinal).ToList());
        }
        Assert.Contains(people, p => programsOf.ContainsKey(p.FamilyId));
        var lookups = new StatusLookups(test.Database);
        var check = new CheckStatus(lookups);
        string Unknown(int i) => "3399" + i.ToString("D12", CultureInfo.InvariantCulture);

        // Each person four ways at once: by name, by NO_KK, with a wrong name, and an unknown NIK beside it.
        var asked = people.SelectMany((p, i) => new[]
        {
            (Input: new CheckStatus.Input(p.Nik, p.Nama, null), Expect: (long?)p.FamilyId),
            (Input: new CheckStatus.Input(p.Nik, null, p.NoKk), Expect: p.FamilyId),
            (Input: new CheckStatus.Input(p.Nik, "Nama Keliru Sekali", null), Expect: null),
            (Input: new CheckStatus.Input(Unknown(i), p.Nama, null), Expect: null),
        }).ToList();
        var answers = await Task.WhenAll(asked.Select(a => Task.Run(() => check.RunAsync(a.Input, CancellationToken.None))));

        for (var i = 0; i < asked.Count; i++)
        {
            var (input, expect) = asked[i];
            var answer = answers[i];
            Assert.Equal(expect is not null, answer.Found);
            if (expect is { } family)
            {
                var person = people.First(p => p.Nik == input.Nik);
                Assert.Equal(CheckStatus.MaskName(person.Nama), answer.NamaTersamar);
                Assert.Equal(programsOf.GetValueOrDefault(family) ?? [], answer.Program.Select(p => p.Kode).ToList());
            }
            else
            {
                Assert.Equal(CheckStatus.NotFound, answer);
            }
        }
        // A check alone gives the same answer as in the crowd.
        var alone = await check.RunAsync(asked[0].Input, CancellationToken.None);
        Assert.Equal(answers[0].NamaTersamar, alone.NamaTersamar);
        Assert.Equal(answers[0].Program, alone.Program);
    }
}
