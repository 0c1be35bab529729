using System.Xml.Linq;
using Tuntas.Registry;
using Tuntas.Verivali;
using static Tuntas.FieldCollection.XFormBuilder;

namespace Tuntas.FieldCollection;

/// <summary>
/// The two field forms, generated (never hand-written) from the registry's field rules and code lists:
/// <list type="bullet">
/// <item><b>Verifikasi keluarga</b> (<see cref="Visit"/>): the enumerator picks a family of their assigned worklist from
/// <c>keluarga.csv</c> (ODK's select_one_from_file), sees its head and address, records the visit outcome, corrects
/// the housing and asset fields (pre-filled with the registry's values), each member's life status from
/// <c>anggota.csv</c> (a repeat with one entry per member), a housing photo and the GPS point.</item>
/// <item><b>Usulan keluarga baru</b> (<see cref="NewFamily"/>): a family not in the registry, with its members, in a
/// village of the enumerator's area (<c>desa.csv</c>).</item>
/// </list>
/// The instance element names are the import columns in lower case, so a submission maps back to the same rules.
/// </summary>
public static class FieldForms
{
    public const string Visit = "tuntas-kunjungan";
    public const string NewFamily = "tuntas-keluarga-baru";

    public static readonly IReadOnlyList<string> All = [Visit, NewFamily];

    public const string FamiliesCsv = "keluarga.csv";
    public const string MembersCsv = "anggota.csv";
    public const string VillagesCsv = "desa.csv";

    /// <summary>The photo field of both forms; Collect scales photos down to this many pixels on the long side.</summary>
    public const string PhotoField = "foto_rumah";
    public const int PhotoMaxPixels = 1600;

    /// <summary>Family fields a visit may correct: the editable ones a visitor can observe (not the coordinates — the GPS
    /// point gives them — nor the decile or consumption, which come from BPS and DTSEN).</summary>
    public static readonly IReadOnlyList<RegistryFields.Rule> VisitFamilyRules = [.. ProposeNewFamily.FamilyRules.Skip(2)];

    /// <summary>What a proposed family carries: its village, NO_KK, then the same fields as a visit (<see cref="ProposeNewFamily"/>).</summary>
    public static IReadOnlyList<RegistryFields.Rule> NewFamilyRules => ProposeNewFamily.FamilyRules;

    /// <summary>A proposed family's members (<see cref="ProposeNewFamily"/>).</summary>
    public static IReadOnlyList<RegistryFields.Rule> NewPersonRules => ProposeNewFamily.PersonRules;

    /// <summary>The column of <c>keluarga.csv</c> with the address as shown (ALAMAT, RT, RW in one text), apart from the
    /// ALAMAT field's own column <c>alamat</c> that pre-fills the correction.</summary>
    public const string ShownAddressColumn = "alamat_lengkap";

    public static readonly IReadOnlyList<string> LifeStatuses = ["hidup", "meninggal", "pindah", "hilang"];

    public static bool Exists(string formId) => All.Contains(formId);

    public static string Title(string formId) => formId == Visit ? "Verifikasi keluarga / Family verification" : "Usulan keluarga baru / New family proposal";

    public static IReadOnlyList<string> MediaFiles(string formId) => formId == Visit ? [FamiliesCsv, MembersCsv] : [VillagesCsv];

    /// <summary>The form's XML with the given version on its primary instance.</summary>
    public static string Build(string formId, int version) => (formId == Visit ? BuildVisit() : BuildNewFamily()).Write(version);

    private static XFormBuilder BuildVisit()
    {
        var form = new XFormBuilder(Visit, Title(Visit));
        form.SecondaryCsv("keluarga", FamiliesCsv);
        form.SecondaryCsv("anggota", MembersCsv);
        var root = form.Root;
        const string family = "instance('keluarga')/root/item[name = /data/baris]";

        root.Add(new XElementBuilder("baris", "kepala", "alamat", "info", "hasil").Elements());
        var picked = new XElement(Xf + "select1", new XAttribute("ref", "/data/baris"),
            form.Label("/data/baris", "Keluarga yang dikunjungi", "Family visited"),
            new XElement(Xf + "itemset", new XAttribute("nodeset", "instance('keluarga')/root/item"),
                new XElement(Xf + "value", new XAttribute("ref", "name")),
                new XElement(Xf + "label", new XAttribute("ref", "label"))));
        form.Bind("/data/baris", "string", "true()");
        form.Bind("/data/kepala", "string", calculate: family + "/kepala");
        form.Bind("/data/alamat", "string", calculate: family + "/" + ShownAddressColumn);
        form.Bind("/data/info", "string", readOnly: true, relevant: "/data/baris != ''");
        var info = new XElement(Xf + "input", new XAttribute("ref", "/data/info"),
            form.Label("/data/info", "Kepala keluarga: ${/data/kepala}. Alamat: ${/data/alamat}", "Head of family: ${/data/kepala}. Address: ${/data/alamat}"));
        form.Bind("/data/hasil", "string", "true()");
        var outcomes = new XElement(Xf + "select1", new XAttribute("ref", "/data/hasil"),
            form.Label("/data/hasil", "Hasil kunjungan", "Visit outcome"),
            VerivaliTerms.Outcomes.Where(o => o != VerivaliTerms.NewFamily).Select(o => Item(o, OutcomeLabel(o))));

        // Housing and assets: pre-filled with the registry's values when the family is picked, shown for a correction.
        var house = new XElement(Xf + "rumah");
        root.Add(house);
        var houseGroup = new XElement(Xf + "group", new XAttribute("ref", "/data/rumah"),
            form.Label("/data/rumah", "Perbaikan data rumah dan aset", "Corrections to housing and assets"));
        form.Bind("/data/rumah", null, relevant: "/data/hasil = '" + VerivaliTerms.Corrected + "'");
        foreach (var rule in VisitFamilyRules)
        {
            var name = rule.Column.ToLowerInvariant();
            var path = "/data/rumah/" + name;
            house.Add(new XElement(Xf + name));
            houseGroup.Add(form.FieldControl(path, rule, rule.Required, null));
            picked.Add(new XElement(Xf + "setvalue", new XAttribute("event", "xforms-value-changed"),
                new XAttribute("ref", path), new XAttribute("value", family + "/" + name)));
        }

        // Members: one repeat entry per member of the picked family (anggota.csv), each with its life status.
        const string member = "instance('anggota')/root/item[baris = /data/baris][position() = position(current()/..)]";
        root.Add(new XElement(Xf + "jumlah_anggota"));
        form.Bind("/data/jumlah_anggota", "string", calculate: "count(instance('anggota')/root/item[baris = /data/baris])");
        XElement MemberNode(bool template) => new(Xf + "anggota",
            template ? new XAttribute(Jr + "template", "") : null,
            new XElement(Xf + "person_id"), new XElement(Xf + "nama"), new XElement(Xf + "kepala"),
            new XElement(Xf + "status_hidup", "hidup"), new XElement(Xf + "tanggal_status"));
        root.Add(MemberNode(true), MemberNode(false));
        form.Bind("/data/anggota/person_id", "string", calculate: member + "/name");
        form.Bind("/data/anggota/nama", "string", calculate: member + "/nama");
        form.Bind("/data/anggota/kepala", "string", calculate: member + "/kepala");
        // A head recorded as died or moved leaves the family without one, and the registry keeps exactly one living head
        // while anyone lives there (the musdes could agree such a visit, and it was then refused when applied): the new
        // head is chosen, one, among the members still living, before the form can be finalized.
        root.Add(new XElement(Xf + "kepala_baru"));
        form.Bind("/data/kepala_baru", "string", "true()", "count(/data/anggota[person_id = /data/kepala_baru and status_hidup = 'hidup']) = 1",
            "Kepala keluarga baru harus anggota yang masih tinggal / The new head must be a member still living here",
            "count(/data/anggota[kepala = '1' and status_hidup != 'hidup']) > 0 and count(/data/anggota[kepala != '1' and status_hidup = 'hidup']) > 0");
        var newHead = new XElement(Xf + "select1", new XAttribute("ref", "/data/kepala_baru"),
            form.Label("/data/kepala_baru", "Kepala keluarga baru", "New head of family"),
            new XElement(Xf + "itemset", new XAttribute("nodeset", "instance('anggota')/root/item[baris = /data/baris and kepala != '1']"),
                new XElement(Xf + "value", new XAttribute("ref", "name")),
                new XElement(Xf + "label", new XAttribute("ref", "nama"))));
        form.Bind("/data/anggota/status_hidup", "string", "true()");
        form.Bind("/data/anggota/tanggal_status", "date", "true()", ". <= today()", "Tanggal tidak boleh di masa depan / The date cannot be in the future",
            "../status_hidup != 'hidup'");
        var members = new XElement(Xf + "group", new XAttribute("ref", "/data/anggota"),
            form.Label("/data/anggota", "Anggota keluarga", "Family members"),
            new XElement(Xf + "repeat", new XAttribute("nodeset", "/data/anggota"),
                new XAttribute(Jr + "count", "/data/jumlah_anggota"), new XAttribute(Jr + "noAddRemove", "true()"),
                new XElement(Xf + "select1", new XAttribute("ref", "/data/anggota/status_hidup"),
                    form.Label("/data/anggota/status_hidup", "Status ${../nama}", "Status of ${../nama}"),
                    LifeStatuses.Select(s => Item(s, LifeStatusLabel(s)))),
                new XElement(Xf + "input", new XAttribute("ref", "/data/anggota/tanggal_status"),
                    form.Label("/data/anggota/tanggal_status", "Tanggal peristiwa", "Date of the event"))));

        AddClosing(form);
        form.Body.Add(picked, info, outcomes, houseGroup, members, newHead);
        AddClosingControls(form);
        return form;
    }

    private static XFormBuilder BuildNewFamily()
    {
        var form = new XFormBuilder(NewFamily, Title(NewFamily));
        form.SecondaryCsv("desa", VillagesCsv);
        var root = form.Root;
        foreach (var rule in NewFamilyRules)
        {
            var name = rule.Column.ToLowerInvariant();
            var path = "/data/" + name;
            root.Add(new XElement(Xf + name));
            if (rule.Column == "KODE_DESA")
            {
                form.Bind(path, "string", "true()");
                form.Body.Add(new XElement(Xf + "select1", new XAttribute("ref", path),
                    form.Label(path, "Desa/kelurahan", "Village"),
                    new XElement(Xf + "itemset", new XAttribute("nodeset", "instance('desa')/root/item"),
                        new XElement(Xf + "value", new XAttribute("ref", "name")),
                        new XElement(Xf + "label", new XAttribute("ref", "label")))));
                continue;
            }
            form.Body.Add(form.FieldControl(path, rule, rule.Required, null));
        }
        XElement MemberNode(bool template) => new(Xf + "anggota",
            template ? new XAttribute(Jr + "template", "") : null,
            NewPersonRules.Select(r => new XElement(Xf + r.Column.ToLowerInvariant())));
        root.Add(MemberNode(true), MemberNode(false));
        var repeat = new XElement(Xf + "repeat", new XAttribute("nodeset", "/data/anggota"));
        foreach (var rule in NewPersonRules)
        {
            repeat.Add(form.FieldControl("/data/anggota/" + rule.Column.ToLowerInvariant(), rule, rule.Required, null));
        }
        form.Body.Add(new XElement(Xf + "group", new XAttribute("ref", "/data/anggota"),
            form.Label("/data/anggota", "Anggota keluarga", "Family members"), repeat));
        AddClosing(form);
        AddClosingControls(form);
        return form;
    }

    /// <summary>Photo, GPS point, note and the instanceID (ODK's orx:meta), common to both forms.</summary>
    private static void AddClosing(XFormBuilder form)
    {
        form.Root.Add(new XElementBuilder(PhotoField, "lokasi", "catatan").Elements(),
            new XElement(Xf + "meta", new XElement(Xf + "instanceID")));
        form.Bind("/data/" + PhotoField, "binary").Add(new XAttribute(Orx + "max-pixels", PhotoMaxPixels));
        form.Bind("/data/lokasi", "geopoint");
        form.Bind("/data/catatan", "string", constraint: "string-length(.) <= 2000", constraintMessage: "Paling banyak 2000 karakter / At most 2000 characters");
        form.Bind("/data/meta/instanceID", "string", readOnly: true, calculate: "concat('uuid:', uuid())");
    }

    private static void AddClosingControls(XFormBuilder form) => form.Body.Add(
        new XElement(Xf + "upload", new XAttribute("ref", "/data/" + PhotoField), new XAttribute("mediatype", "image/*"),
            form.Label("/data/" + PhotoField, "Foto rumah (tampak depan)", "Photo of the house (front)")),
        new XElement(Xf + "input", new XAttribute("ref", "/data/lokasi"),
            form.Label("/data/lokasi", "Titik lokasi rumah (GPS)", "Location of the house (GPS)")),
        new XElement(Xf + "input", new XAttribute("ref", "/data/catatan"),
            form.Label("/data/catatan", "Catatan", "Note")));

    public static string OutcomeLabel(string outcome) => outcome switch
    {
        VerivaliTerms.Unchanged => "Data tetap / Unchanged",
        VerivaliTerms.Corrected => "Perbaikan data / Data corrected",
        VerivaliTerms.NotEligible => "Tidak layak / Not eligible",
        VerivaliTerms.Died => "Meninggal / Died",
        VerivaliTerms.Moved => "Pindah / Moved",
        VerivaliTerms.NotFound => "Tidak ditemukan / Not found",
        _ => outcome,
    };

    public static string LifeStatusLabel(string status) => status switch
    {
        "hidup" => "Hidup / Alive",
        "meninggal" => "Meninggal / Died",
        "pindah" => "Pindah / Moved",
        _ => "Hilang / Missing",
    };

    /// <summary>Empty instance elements by name.</summary>
    private sealed class XElementBuilder(params string[] names)
    {
        public IEnumerable<XElement> Elements() => names.Select(n => new XElement(Xf + n));
    }
}
