using Tuntas.Data;
using Tuntas.Registry;

namespace Tuntas.Core.Tests.Data;

public class ColumnValueTests
{
    /// <summary>Every type a row's property can have, as the bulk writers read it and as the paths that box read it.</summary>
    public static TheoryData<object?> Values() =>
    [
        null, "", "Sukijo Ngatijo", "é ✓", 0, -7, int.MinValue, 2_200, 9_000_000_000_123L, -1L, 0.1, -1.5e300, true, false,
        new DateOnly(1955, 3, 1), DateOnly.MaxValue, new DateTime(2026, 12, 4, 16, 45, 1, DateTimeKind.Utc).AddTicks(1_234_560),
    ];

    [Theory, MemberData(nameof(Values))]
    public void A_value_read_without_boxing_is_the_value_and_hashes_as_the_boxed_one(object? value)
    {
        ColumnValue read = value switch
        {
            null => ColumnValue.Null,
            string s => s,
            int i => i,
            long l => l,
            double d => d,
            bool b => b,
            DateOnly date => date,
            DateTime time => time,
            _ => throw new ArgumentOutOfRangeException(nameof(value)),
        };

        Assert.Equal(value, read.ToObject());
        Assert.Equal(value is null, read.IsNull);
        // The stored row_hash of an unchanged row must not depend on which path computed it.
        Assert.Equal(RegistryColumns.ValueHash(value), RegistryColumns.ValueHash(read));
    }

    [Fact]
    public void A_nullable_property_without_a_value_reads_as_null_and_a_timestamp_keeps_its_kind()
    {
        int? none = null;
        ColumnValue fromNone = none;
        Assert.True(fromNone.IsNull);
        ColumnValue local = new DateTime(2026, 12, 5, 8, 0, 0, DateTimeKind.Local);
        Assert.Equal(DateTimeKind.Local, local.Timestamp.Kind);
        ColumnValue fromInt = 42;
        Assert.Equal(42L, fromInt.Long); // an int property may fill a bigint column
    }

    [Fact]
    public void The_row_hash_of_a_person_is_the_one_computed_from_boxed_values()
    {
        var person = new Person
        {
            Nik = "3314014107860001",
            Nama = "Sri Wahyuni",
            NamaKunci = "SRI WAHYUNI",
            JenisKelamin = 2,
            TanggalLahir = new DateOnly(1986, 7, 1),
            HubunganKk = 2,
            Penghasilan = 1_250_000,
            Bekerja = true,
            Hamil = null,
        };
        Span<int> boxed = stackalloc int[RegistryColumns.Person.Count];
        var n = 0;
        foreach (var column in RegistryColumns.Person.Where(c => c.Import is not null))
        {
            boxed[n++] = RegistryColumns.ValueHash(column.Get(person));
        }
        Assert.Equal(RegistryColumns.Combine(boxed[..n]), RegistryColumns.HashOf(RegistryColumns.Person, person));
        Assert.Equal(RegistryColumns.HashOf(RegistryColumns.Person, person), RegistryFields.PersonHash(person));
    }
}
