namespace Tuntas.Demo;

/// <summary>One synthetic family member. Mutable and reused: a generator run allocates only what it writes.</summary>
internal sealed class DemoMember
{
    public int Role;          // HUBUNGAN_KK
    public int Sex;           // 1 laki-laki, 2 perempuan
    public int Age;           // completed years at the reference date
    public int Marital;       // STATUS_KAWIN
    public DateOnly BirthDate;
    public string Name = "";
    public int Education;     // PENDIDIKAN
    public int Schooling;     // STATUS_SEKOLAH
    public string Occupation = "";
    public bool Working;
    public long Income;
    public int Disability;
    public bool Chronic;
    public bool Pregnant;
    public string Nik = "";
    public string BirthPlace = "";
}

/// <summary>
/// Household composition drawn from the family's latent welfare <c>w</c> (standard normal plus village and kecamatan
/// effects; lower = poorer). The shape follows Central Java: mostly nuclear families headed by a married man, about
/// 15 % female heads (widows and divorced mothers; BPS Statistik Gender puts Indonesia near 15 %), three-generation
/// households and grandparents raising grandchildren of migrant parents (common in Sragen), elderly parents living in.
/// Mean size ≈ 3.2–3.4 persons (BPS Jawa Tengah, rata-rata ART per rumah tangga ≈ 3.3), larger when poorer.
/// Everything here is drawn in a fixed order from the family's own <see cref="Random"/>: pass 1 and pass 2 must see the
/// same members.
/// </summary>
internal static class DemoHousehold
{
    public const int MaxSize = 10;
    public const int MaxAge = 92; // NIK carries a 2-digit year: keep everyone well inside one century.

    public static void Compose(Random rng, double w, List<DemoMember> members, Func<DemoMember> rent)
    {
        var poor = w < -0.8;
        var kind = rng.NextDouble();
        var pSingle = 0.04;
        var pFemaleHead = 0.115 + (poor ? 0.04 : 0);
        var pMaleAlone = 0.05;

        DemoMember head;
        int motherAge; // age of the mother of the head's children, or -1 for none
        if (kind < pSingle)
        {
            head = Add(members, rent, 1, rng.NextDouble() < 0.6 ? 1 : 2, 19 + rng.Next(17), 1);
            motherAge = -1;
        }
        else if (kind < pSingle + pFemaleHead)
        {
            var widow = rng.NextDouble() < 0.68;
            var age = widow ? 42 + Triangular(rng, 46) : 24 + Triangular(rng, 36);
            head = Add(members, rent, 1, 2, age, widow ? 4 : 3);
            motherAge = age;
        }
        else if (kind < pSingle + pFemaleHead + pMaleAlone)
        {
            var widower = rng.NextDouble() < 0.65;
            var age = widower ? 48 + Triangular(rng, 40) : 25 + Triangular(rng, 35);
            head = Add(members, rent, 1, 1, age, widower ? 4 : 3);
            motherAge = age - 3;
        }
        else
        {
            var age = 21 + Triangular(rng, 55) + (rng.NextDouble() < 0.08 ? rng.Next(13) : 0);
            var wifeAge = Math.Max(17, age - (int)Math.Round(3 + 3 * Gaussian(rng)));
            wifeAge = Math.Min(wifeAge, age + 8);
            // 1.5 % of couples have the wife as KK holder; the husband is then HUBUNGAN_KK 2 (suami).
            if (rng.NextDouble() < 0.015)
            {
                head = Add(members, rent, 1, 2, wifeAge, 2);
                Add(members, rent, 2, 1, age, 2);
            }
            else
            {
                head = Add(members, rent, 1, 1, age, 2);
                Add(members, rent, 3, 2, wifeAge, 2);
            }
            motherAge = wifeAge;
        }

        // Children ever born, by the mother's age: first birth around 22, spacing 2–6 years, none after 44; children
        // leave when they marry (19–30), some stay single at home. Poorer families have more children (Susenas/SDKI).
        if (motherAge > 0)
        {
            var lambda = 2.1 + (poor ? 0.6 : 0) - (w > 1 ? 0.3 : 0);
            var born = Math.Min(Poisson(rng, lambda), 7);
            var birthAge = Math.Clamp((int)Math.Round(22 + 2.5 * Gaussian(rng)), 17, 34);
            for (var k = 0; k < born && birthAge <= 44; k++)
            {
                var childAge = motherAge - birthAge;
                var leaveAge = rng.NextDouble() < 0.2 ? 40 : 19 + rng.Next(12);
                if (childAge >= 0 && childAge < leaveAge && childAge <= head.Age - 16 && members.Count < MaxSize - 1)
                {
                    Add(members, rent, 4, rng.NextDouble() < 0.51 ? 1 : 2, childAge, 1);
                }
                birthAge += 2 + rng.Next(5);
            }
        }

        // Three generations: a married child with spouse (menantu) and grandchildren; or grandparents raising a
        // grandchild whose parents work away (Sragen has many migrant workers).
        var r = rng.NextDouble();
        if (head.Age >= 45 && motherAge > 0 && r < (poor ? 0.14 : 0.09) && members.Count <= MaxSize - 4)
        {
            var childAge = Math.Max(20, motherAge - (21 + rng.Next(6)));
            var childSex = rng.NextDouble() < 0.5 ? 1 : 2;
            Add(members, rent, 4, childSex, childAge, 2);
            Add(members, rent, 5, 3 - childSex, Math.Max(19, childAge + (childSex == 1 ? -2 : 3) + rng.Next(-2, 3)), 2);
            var grandchildren = 1 + (rng.NextDouble() < 0.4 ? 1 : 0);
            var youngestParent = Math.Min(childAge, members[^1].Age);
            for (var g = 0; g < grandchildren && youngestParent > 19; g++)
            {
                Add(members, rent, 6, rng.NextDouble() < 0.51 ? 1 : 2, rng.Next(0, Math.Min(12, youngestParent - 18)), 1);
            }
        }
        else if (head.Age >= 50 && r > 0.95 && members.Count < MaxSize)
        {
            Add(members, rent, 6, rng.NextDouble() < 0.51 ? 1 : 2, 1 + rng.Next(Math.Min(14, head.Age - 38)), 1);
        }

        // An elderly parent (orang tua) or parent-in-law (mertua), usually a widowed mother.
        if (head.Age is >= 28 and <= 62 && rng.NextDouble() < (poor ? 0.08 : 0.06) && members.Count < MaxSize)
        {
            var parentAge = head.Age + 22 + rng.Next(13);
            if (parentAge <= MaxAge)
            {
                var married = members.Count > 1 && members[1].Role is 2 or 3;
                Add(members, rent, married && rng.NextDouble() < 0.45 ? 8 : 7, rng.NextDouble() < 0.75 ? 2 : 1, parentAge, 4);
            }
        }

        // Another relative (famili lain), e.g. a niece or nephew attending school nearby.
        if (rng.NextDouble() < 0.015 && members.Count < MaxSize)
        {
            Add(members, rent, 9, rng.NextDouble() < 0.5 ? 1 : 2, 10 + rng.Next(16), 1);
        }
    }

    private static DemoMember Add(List<DemoMember> members, Func<DemoMember> rent, int role, int sex, int age, int marital)
    {
        var m = rent();
        m.Role = role;
        m.Sex = sex;
        m.Age = Math.Clamp(age, 0, MaxAge);
        m.Marital = marital;
        members.Add(m);
        return m;
    }

    /// <summary>0..span, triangular with the mode in the middle (sum of two uniforms).</summary>
    public static int Triangular(Random rng, int span) => (int)(span * (rng.NextDouble() + rng.NextDouble()) / 2);

    /// <summary>Standard normal by Box–Muller (two uniforms, one output: simple and order-stable).</summary>
    public static double Gaussian(Random rng)
    {
        var u1 = 1.0 - rng.NextDouble();
        var u2 = rng.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    public static int Poisson(Random rng, double lambda)
    {
        var limit = Math.Exp(-lambda);
        var k = 0;
        var p = rng.NextDouble();
        while (p > limit)
        {
            k++;
            p *= rng.NextDouble();
        }
        return k;
    }
}
