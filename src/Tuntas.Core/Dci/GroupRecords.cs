using System.Text.Json.Serialization;
using Tuntas.Registry;

namespace Tuntas.Dci;

/// <summary>What a caller may see of identifiers and of specific personal data (UU PDP 27/2022 Pasal 4(2)).</summary>
/// <param name="FullIdentifiers">NIK and NO_KK in full; otherwise masked and typed <c>NIK_MASKED</c>/<c>NO_KK_MASKED</c>.</param>
/// <param name="Sensitive">Disability (<c>is_disabled</c>); otherwise left out.</param>
public sealed record DciDisclosure(bool FullIdentifiers, bool Sensitive)
{
    /// <summary>
    /// For a client answered outside a request (the asynchronous worker): the same rule as the web's
    /// <c>RegistryPermissions.SeeFullIdentifiers</c> and <c>SeeSensitive</c>, from the client's role.
    /// </summary>
    public static DciDisclosure ForRole(string role) => new(
        role is Users.Roles.Administrator or Users.Roles.TkpkdCoordinator or Users.Roles.VillageOperator,
        role is Users.Roles.Administrator or Users.Roles.TkpkdCoordinator);
}

public sealed record DciIdentifier(
    [property: JsonPropertyName("@type")] string Type, string IdentifierType, string IdentifierValue);

public sealed record DciName([property: JsonPropertyName("@type")] string Type, string GivenName);

public sealed record DciPlace([property: JsonPropertyName("@type")] string Type, string? Address, DciGeo? Geo);

public sealed record DciGeo([property: JsonPropertyName("@type")] string Type, double Latitude, double Longitude);

public sealed record DciAttribute(string Name, object Value);

/// <summary>DCI <c>SRPerson</c> (spdci/standards <c>src/extensions/social/Person.yaml</c>).</summary>
public sealed record DciPerson(
    [property: JsonPropertyName("@type")] string Type, IReadOnlyList<DciIdentifier> Identifier, DciName Name, string Sex,
    string BirthDate, string? BirthPlace, string RegistrationDate);

/// <summary>DCI <c>Member</c> of a group.</summary>
public sealed record DciMember(
    [property: JsonPropertyName("@type")] string Type, [property: JsonPropertyName("@id")] string Id,
    IReadOnlyList<DciIdentifier> MemberIdentifier, DciPerson DemographicInfo, string RelationshipToHead, string? MaritalStatus,
    bool? IsDisabled, string RegistrationDate);

/// <summary>DCI <c>Group</c> (spdci/standards <c>src/extensions/social/Group.yaml</c>): a Tuntas family.</summary>
public sealed record DciGroup(
    [property: JsonPropertyName("@type")] string Type, [property: JsonPropertyName("@id")] string Id,
    IReadOnlyList<DciIdentifier> GroupIdentifier, string GroupType, DciPlace Place, int? PovertyScore, string? PovertyScoreType,
    DciMember? GroupHeadInfo, int GroupSize, IReadOnlyList<DciMember> MemberList, string RegistrationDate, string LastUpdated,
    IReadOnlyList<DciAttribute> AdditionalAttributes);

/// <summary>
/// Maps a Tuntas family and its living members to DCI group and member records, field by field as docs/dci.md lists.
/// Only living members are listed and counted (<see cref="LifeStatus"/>: the family's size everywhere in Tuntas).
/// </summary>
public static class GroupRecords
{
    public const string GroupRecordType = "Group";
    public const string MemberRecordType = "Member";

    /// <summary>The family's desil in the latest targeting run, and which run and decile model it came from.</summary>
    public sealed record Score(int Desil, long RunId, string DecileModel);

    public sealed record Place(string? DesaName, string? KecamatanName);

    public static DciGroup Group(Family family, Score? score, Place place, IReadOnlyList<string> programs, DciDisclosure disclosure)
    {
        var members = family.Persons.Where(p => p.IsAlive).OrderBy(p => p.HubunganKk).ThenBy(p => p.TanggalLahir).ThenBy(p => p.Id)
            .Select(p => Member(p, disclosure)).ToList();
        var head = family.Persons.Where(p => p.IsAlive && p.HubunganKk == 1).OrderBy(p => p.Id).FirstOrDefault();
        List<DciAttribute> attributes = [new("kode_desa", family.KodeDesa)];
        if (family.DesilNasional is { } desil)
        {
            attributes.Add(new("desil_nasional", desil));
        }
        if (family.DesilNasionalTanggal is { } on)
        {
            attributes.Add(new("desil_nasional_date", Date(on)));
        }
        attributes.AddRange(programs.Select(code => new DciAttribute("program", code)));
        var address = string.Join(", ", new[]
        {
            family.Alamat,
            family.Rt is null && family.Rw is null ? null : $"RT {family.Rt ?? "-"}/RW {family.Rw ?? "-"}",
            place.DesaName is null ? null : "Desa " + place.DesaName,
            place.KecamatanName is null ? null : "Kec. " + place.KecamatanName,
        }.Where(s => !string.IsNullOrWhiteSpace(s)));
        return new DciGroup("Group", GroupId(family.Id),
            [Identifier(SearchCriteria.NoKk, family.NoKk, disclosure)],
            "family",
            new DciPlace("Place", address.Length == 0 ? null : address,
                family.Lintang is { } lat && family.Bujur is { } lon ? new DciGeo("GeoCoordinates", lat, lon) : null),
            score?.Desil,
            score is null ? null : $"tuntas-desil:{score.DecileModel}:run-{score.RunId.ToString(CultureInfo.InvariantCulture)}",
            head is null ? null : members.First(m => m.Id == PersonId(head.Id)),
            members.Count,
            members,
            Timestamp(family.CreatedAt),
            Timestamp(family.UpdatedAt),
            attributes);
    }

    /// <summary>A group record's <c>@id</c>: <c>urn:tuntas:keluarga:&lt;families.id&gt;</c>.</summary>
    public static string GroupId(long familyId) => "urn:tuntas:keluarga:" + familyId.ToString(CultureInfo.InvariantCulture);

    public static DciMember Member(Person person, DciDisclosure disclosure)
    {
        List<DciIdentifier> identifiers = [Identifier(SearchCriteria.Nik, person.Nik, disclosure)];
        var registered = Timestamp(person.CreatedAt);
        return new DciMember("Member", PersonId(person.Id), identifiers,
            new DciPerson("SRPerson", identifiers, new DciName("Name", person.Nama), person.JenisKelamin == 2 ? "female" : person.JenisKelamin == 1 ? "male" : "unknown",
                Date(person.TanggalLahir), person.TempatLahir, registered),
            Relationship(person.HubunganKk), MaritalStatus(person.StatusKawin),
            disclosure.Sensitive ? person.Disabilitas != 0 : null,
            registered);
    }

    private static string PersonId(long id) => "urn:tuntas:orang:" + id.ToString(CultureInfo.InvariantCulture);

    private static DciIdentifier Identifier(string type, string value, DciDisclosure disclosure) =>
        disclosure.FullIdentifiers ? new("Identifier", type, value) : new("Identifier", type + "_MASKED", Nik.Mask(value));

    /// <summary>SHDK (Permendagri 109/2019) to the relationship words of the DCI code directory (CD.COM.07).</summary>
    public static string Relationship(int shdk) => shdk switch
    {
        1 => "head",
        2 or 3 => "spouse",
        4 => "child",
        5 => "child_in_law",
        6 => "grandchild",
        7 => "parent",
        8 => "parent_in_law",
        9 => "other_relative",
        10 => "domestic_worker",
        _ => "other",
    };

    /// <summary>Status kawin (1 belum kawin, 2 kawin, 3 cerai hidup, 4 cerai mati) to DCI marital status (CD.COM.02, FHIR codes).</summary>
    public static string? MaritalStatus(int statusKawin) => statusKawin switch
    {
        1 => "S",
        2 => "M",
        3 => "D",
        4 => "W",
        _ => null,
    };

    private static string Date(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>Stored times are UTC (ARCHITECTURE §3): written with their offset, Z.</summary>
    public static string Timestamp(DateTime utc) => DateTime.SpecifyKind(utc, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
