namespace Tuntas.Targeting.Snapshot;

/// <summary>
/// The derived family fields of <see cref="TargetingFields.FamilyDerived"/>, computed once per snapshot. Counts over an
/// optional member field are unknown (NaN) when a member's value is unknown, except where the answer is a fact:
/// a man is not pregnant, and a member who did not work last week earns no work income.
/// </summary>
internal static class DerivedFields
{
    // Age groups: balita < 6 (PKH's child 0–6 component, DOMAIN §5); usia sekolah 7–18 (12 years of compulsory
    // schooling); lansia ≥ 70 (PKH's elderly component); dependency ratio with the usual <15 and ≥65 (BPS).
    public const int BalitaBelow = 6;
    public const int SchoolFrom = 7;
    public const int SchoolTo = 18;
    public const int LansiaFrom = 70;

    public static void Compute(RegistrySnapshot s)
    {
        var families = s.FamilyCount;
        var age = s.Column("umur");
        var sex = s.Column("jenis_kelamin");
        var relation = s.Column("hubungan_kk");
        var disability = s.Column("disabilitas");
        var chronic = s.Column("penyakit_kronis");
        var pregnant = s.Column("hamil");
        var works = s.Column("bekerja");
        var income = s.Column("penghasilan");
        var education = s.Column("pendidikan");
        var marital = s.Column("status_kawin");
        var occupation = s.Column("pekerjaan");
        var floor = s.Column("luas_lantai");

        // Collected narrow (ColumnBuilder): counts stay bytes, ratios and money become doubles.
        ColumnBuilder New() => new(families);
        var (size, floorPerPerson, balita, school, lansia, disabled, ill, pregnancies, working, incomeTotal, incomePerCapita, dependency) =
            (New(), New(), New(), New(), New(), New(), New(), New(), New(), New(), New(), New());
        var (headAge, headFemale, headEducation, headWorks, headIncome, headOccupation, headMarital) =
            (New(), New(), New(), New(), New(), New(), New());

        for (var f = 0; f < families; f++)
        {
            int from = s.PersonStart[f], to = s.PersonStart[f + 1];
            var n = to - from;
            size.Set(f, n);
            floorPerPerson.Set(f, n == 0 ? double.NaN : floor[f] / n);
            double b = 0, sc = 0, l = 0, d = 0, c = 0, p = 0, w = 0, total = 0, young = 0, old = 0, workingAge = 0;
            bool cUnknown = false, pUnknown = false, wUnknown = false, incomeUnknown = false;
            var head = -1;
            for (var i = from; i < to; i++)
            {
                var a = age[i];
                if (a < BalitaBelow) b++;
                if (a is >= SchoolFrom and <= SchoolTo) sc++;
                if (a >= LansiaFrom) l++;
                if (a < 15) young++;
                else if (a >= 65) old++;
                else workingAge++;
                if (disability[i] != 0) d++;
                var chronicIll = chronic[i];
                if (double.IsNaN(chronicIll)) cUnknown = true; else c += chronicIll;
                var preg = pregnant[i];
                preg = double.IsNaN(preg) && sex[i] == 1 ? 0 : preg;
                if (double.IsNaN(preg)) pUnknown = true; else p += preg;
                var work = works[i];
                if (double.IsNaN(work)) wUnknown = true; else w += work;
                var earned = income[i];
                earned = double.IsNaN(earned) && (work == 0 || a < 15) ? 0 : earned;
                if (double.IsNaN(earned)) incomeUnknown = true; else total += earned;
                if (relation[i] == 1 && head < 0) head = i;
            }
            balita.Set(f, b);
            school.Set(f, sc);
            lansia.Set(f, l);
            disabled.Set(f, d);
            ill.Set(f, cUnknown ? double.NaN : c);
            pregnancies.Set(f, pUnknown ? double.NaN : p);
            working.Set(f, wUnknown ? double.NaN : w);
            incomeTotal.Set(f, incomeUnknown ? double.NaN : total);
            incomePerCapita.Set(f, incomeUnknown || n == 0 ? double.NaN : total / n);
            // A family of only dependants is divided by one, not by zero: its ratio is still the highest in the village.
            dependency.Set(f, (young + old) / Math.Max(1, workingAge));
            if (head >= 0)
            {
                headAge.Set(f, age[head]);
                headFemale.Set(f, sex[head] == 2 ? 1 : 0);
                headEducation.Set(f, education[head]);
                headWorks.Set(f, works[head]);
                headIncome.Set(f, double.IsNaN(income[head]) && works[head] == 0 ? 0 : income[head]);
                headOccupation.Set(f, occupation[head]);
                headMarital.Set(f, marital[head]);
            }
            else
            {
                foreach (var unknown in (ReadOnlySpan<ColumnBuilder>)[headAge, headFemale, headEducation, headWorks, headIncome, headOccupation, headMarital])
                {
                    unknown.Set(f, double.NaN);
                }
            }
        }
        var columns = s.Columns;
        columns["jumlah_anggota"] = size.Build(families);
        columns["luas_lantai_per_kapita"] = floorPerPerson.Build(families);
        columns["jumlah_balita"] = balita.Build(families);
        columns["jumlah_usia_sekolah"] = school.Build(families);
        columns["jumlah_lansia"] = lansia.Build(families);
        columns["jumlah_disabilitas"] = disabled.Build(families);
        columns["jumlah_penyakit_kronis"] = ill.Build(families);
        columns["jumlah_hamil"] = pregnancies.Build(families);
        columns["jumlah_bekerja"] = working.Build(families);
        columns["penghasilan_total"] = incomeTotal.Build(families);
        columns["penghasilan_per_kapita"] = incomePerCapita.Build(families);
        columns["rasio_tanggungan"] = dependency.Build(families);
        columns["kepala_umur"] = headAge.Build(families);
        columns["kepala_perempuan"] = headFemale.Build(families);
        columns["kepala_pendidikan"] = headEducation.Build(families);
        columns["kepala_bekerja"] = headWorks.Build(families);
        columns["kepala_penghasilan"] = headIncome.Build(families);
        columns["kepala_pekerjaan"] = headOccupation.Build(families);
        columns["kepala_status_kawin"] = headMarital.Build(families);
    }
}
