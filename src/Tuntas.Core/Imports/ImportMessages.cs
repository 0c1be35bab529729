namespace Tuntas.Imports;

/// <summary>
/// Every finding of the family import, by stable code, in Bahasa Indonesia (first) and English. Placeholders:
/// {0} the value or detail, {1} a second detail (e.g. the earlier row). The codes are documented in docs/import-format.md.
/// </summary>
public static class ImportMessages
{
    private static readonly Dictionary<string, (string Id, string En)> _messages = new(StringComparer.Ordinal)
    {
        ["FILE_EMPTY"] = ("Berkas kosong.", "The file is empty."),
        ["FILE_NO_DATA"] = ("Berkas hanya berisi baris judul, tanpa data.", "The file has a header row but no data."),
        ["FILE_UNREADABLE"] = ("Berkas tidak dapat dibaca: {0}", "The file cannot be read: {0}"),
        ["COLUMN_MISSING"] = ("Kolom wajib {0} tidak ada di baris judul.", "Required column {0} is missing from the header."),
        ["COLUMN_DUPLICATE"] = ("Kolom {0} muncul lebih dari sekali di baris judul.", "Column {0} appears more than once in the header."),
        ["COLUMN_UNKNOWN"] = ("Kolom {0} tidak dikenal dan diabaikan.", "Unknown column {0} is ignored."),
        ["COLUMN_COUNT"] = ("Jumlah kolom {0}, padahal baris judul punya {1}.", "The row has {0} columns but the header has {1}."),
        ["ENCODING"] = ("Isi sel bukan UTF-8 yang sah (simpan berkas sebagai CSV UTF-8).", "The cell is not valid UTF-8 (save the file as CSV UTF-8)."),
        ["REQUIRED"] = ("Wajib diisi.", "A value is required."),
        ["NOT_INTEGER"] = ("Harus bilangan bulat tanpa pemisah ribuan.", "Must be a whole number without thousands separators."),
        ["NOT_NUMBER"] = ("Harus angka dengan titik desimal (atau koma desimal di berkas berpemisah ';').", "Must be a number with a decimal point (or a decimal comma in a ';'-delimited file)."),
        ["OUT_OF_RANGE"] = ("Nilai di luar pilihan yang sah ({0}).", "Value out of the allowed range ({0})."),
        ["NOT_01"] = ("Harus 0 atau 1.", "Must be 0 or 1."),
        ["DATE_FORMAT"] = ("Tanggal harus YYYY-MM-DD, DD-MM-YYYY atau DD/MM/YYYY.", "The date must be YYYY-MM-DD, DD-MM-YYYY or DD/MM/YYYY."),
        ["DATE_FUTURE"] = ("Tanggal lahir di masa depan.", "The birth date is in the future."),
        ["DATE_TOO_OLD"] = ("Tanggal lahir sebelum tahun 1900.", "The birth date is before 1900."),
        ["SEX"] = ("Jenis kelamin harus 1/L (laki-laki) atau 2/P (perempuan).", "Sex must be 1/L (male) or 2/P (female)."),
        ["NIK_KOSONG"] = ("NIK wajib diisi.", "NIK is required."),
        ["NIK_FORMAT"] = ("NIK harus 16 angka.", "NIK must be 16 digits."),
        ["NIK_NOTASI_ILMIAH"] = ("NIK tertulis dalam notasi ilmiah (Excel mengubah angka panjang); format kolom sebagai Teks lalu ketik ulang NIK.", "NIK is in scientific notation (Excel altered a long number); format the column as Text and re-enter the NIK."),
        ["NIK_PROVINSI"] = ("Kode provinsi di NIK tidak ada.", "The province code in the NIK does not exist."),
        ["NIK_TANGGAL"] = ("Tanggal lahir di NIK tidak sah (tanggal 01–31 atau 41–71, bulan 01–12).", "The birth date in the NIK is invalid (day 01–31 or 41–71, month 01–12)."),
        ["NIK_SEMENTARA"] = ("NIK sementara (0 + kode desa + nomor urut): perlu diganti NIK dari Dukcapil.", "Temporary NIK (0 + village code + serial): replace it with the Dukcapil NIK."),
        ["DUPLICATE_SUSPECT"] = ("Mungkin orang yang sama dengan NIK {0} ({1}) yang sudah terdaftar, skor {2}; periksa di antrean Duplikat.",
            "Possibly the same person as the registered NIK {0} ({1}), score {2}; check the Duplicates queue."),
        ["DUPLICATE_CHECK_SKIPPED"] = ("{0} orang baru: pemeriksaan duplikat per orang dilewati; jalankan `tuntas duplicates find` atau antrean Duplikat.",
            "{0} new persons: the per-person duplicate check was skipped; run `tuntas duplicates find` or the Duplicates queue."),
        ["NIK_BIRTHDATE_MISMATCH"] = ("Tanggal lahir di NIK ({0}) berbeda dengan TANGGAL_LAHIR.", "The birth date in the NIK ({0}) differs from TANGGAL_LAHIR."),
        ["NIK_SEX_MISMATCH"] = ("Jenis kelamin menurut NIK berbeda dengan JENIS_KELAMIN.", "The sex encoded in the NIK differs from JENIS_KELAMIN."),
        ["NIK_DUPLICATE"] = ("NIK sudah muncul di baris {0}.", "The NIK already appears in row {0}."),
        ["NIK_OTHER_FAMILY"] = ("NIK sudah terdaftar di keluarga lain (NO_KK {0}). Jika ia pindah KK: impor dengan pilihan pindah KK (centang di formulir unggah; allowMoves di API; --allow-moves di CLI), atau di berkas format Tuntas isi kolom PINDAH = 1 pada barisnya.", "The NIK is already registered in another family (NO_KK {0}). For a move: import with the move option (the upload form's tick; allowMoves in the API; --allow-moves in the CLI), or in a Tuntas-format file set column PINDAH = 1 on its row."),
        ["PERSON_MOVE"] = ("Pindah dari keluarga NO_KK {0}; dicatat di riwayat kedua keluarga saat impor disimpan.", "Moves from family NO_KK {0}; recorded in both families' history when the import is committed."),
        ["NO_KK_KOSONG"] = ("NO_KK wajib diisi.", "NO_KK is required."),
        ["NO_KK_FORMAT"] = ("NO_KK harus 16 angka.", "NO_KK must be 16 digits."),
        ["NO_KK_NOTASI_ILMIAH"] = ("NO_KK tertulis dalam notasi ilmiah (Excel mengubah angka panjang); format kolom sebagai Teks.", "NO_KK is in scientific notation (Excel altered a long number); format the column as Text."),
        ["NO_KK_PROVINSI"] = ("Kode provinsi di NO_KK tidak ada.", "The province code in the NO_KK does not exist."),
        ["NO_KK_SEMENTARA"] = ("NO_KK sementara (0 + kode desa + nomor urut): perlu diganti nomor KK dari Dukcapil.", "Temporary NO_KK (0 + village code + serial): replace it with the Dukcapil number."),
        ["KODE_DESA_FORMAT"] = ("KODE_DESA harus kode Kemendagri 10 angka (33.14.01.2001 atau 3314012001).", "KODE_DESA must be a 10-digit Kemendagri code (33.14.01.2001 or 3314012001)."),
        ["KODE_DESA_UNKNOWN"] = ("Desa/kelurahan {0} tidak ada di tabel wilayah Kemendagri.", "Village {0} is not in the Kemendagri region table."),
        ["PINDAH_OTHER_VILLAGE"] = ("NIK terdaftar di keluarga desa lain (NO_KK {0}); perpindahan antardesa diimpor oleh petugas kabupaten agar desa asal ikut memeriksa.", "The NIK is registered in a family of another village (NO_KK {0}); a move between villages is imported by the regency so that the village of origin sees it."),
        ["HEAD_NOT_LIVING"] = ("Kepala keluarga tercatat tidak hidup/tidak tinggal di sini: keluarga NO_KK {0} tanpa kepala keluarga yang hidup sampai KK baru dari Dukcapil dimasukkan.", "The head of family is recorded as no longer living here: family NO_KK {0} has no living head until the new KK from Dukcapil is entered."),
        ["STATUS_BACK_TO_LIVING"] = ("Tercatat {0} di data terpadu; berkas ini mencatatnya hidup lagi. Periksa bahwa ini benar (pindah yang batal, kematian yang salah catat).", "Recorded as {1} ({0}) in the registry; this file records the person as living again. Check that this is right (a move undone, a death recorded in error)."),
        ["STATUS_NOT_LIVING_KEPT"] = ("Tercatat {0} di data terpadu lewat {2} ({3}); berkas ini mencatatnya {5}. Status tidak diubah oleh berkas karena dicatat oleh petugas, bukan oleh berkas: jika status itu salah, ubah status hidupnya di halaman keluarga.", "Recorded as {1} ({0}) in the registry through {4} ({3}); this file records the person as {6}. A file does not change a status a person recorded: if that status is wrong, change the life status on the family's page."),
        ["NIK_TEMPORARY_REPLACED"] = ("Anggota keluarga yang terdaftar dengan NIK sementara {0} (jenis kelamin dan tanggal lahir sama, nama sama atau beda satu huruf) adalah orang ini: NIK sementaranya diganti dengan NIK ini dari Dukcapil; riwayat, kepesertaan dan kunjungannya tetap.", "The member registered with the temporary NIK {0} (same sex and birth date, the same name or one letter apart) is this person: the temporary NIK is replaced by this NIK from Dukcapil; their history, enrollments and visits stay."),
        ["NIK_TEMPORARY_REPLACED_BEFORE"] = ("NIK sementara ini sudah diganti NIK Dukcapil {0} di data terpadu (atas nama {1}): berkas ini lebih lama dari data terpadu. Ganti NIK di berkas, dan di OpenSID desa, dengan NIK Dukcapil.", "This temporary NIK was already replaced by the Dukcapil NIK {0} in the registry ({1}): this file is older than the registry. Put the Dukcapil NIK in the file, and in the village's OpenSID."),
        ["NIK_TEMPORARY_LISTED_TOO"] = ("Orang ini terdaftar dengan NIK sementara {0}, yang juga ada di baris {1} berkas ini: satu orang tercantum dua kali. Hapus baris NIK sementara (NIK Dukcapil menggantikannya) atau baris ini.", "This person is registered with the temporary NIK {0}, which row {1} of this file lists too: one person listed twice. Delete the temporary NIK's row (the Dukcapil NIK replaces it) or this one."),
        ["NIK_TEMPORARY_ALREADY_REPLACED"] = ("NIK sementara ini sudah diganti NIK Dukcapil di baris {0} (orang yang sama); hapus salah satu baris.", "This temporary NIK was already replaced by a Dukcapil NIK on row {0} (the same person); delete one of the two rows."),
        ["FILE_OTHER_VILLAGE"] = ("{0} dari {1} keluarga terdaftar dalam berkas ini tercatat di desa di luar wilayah kerja Anda: ini tampaknya berkas desa lain. Periksa berkasnya; keluarga itu diubah oleh petugas desanya atau kabupaten. Tidak ada yang ditulis.", "{0} of this file's {1} registered families are registered in a village outside your area: this looks like another village's file. Check the file; those families are changed by their own village's operator or the regency. Nothing was written."),
        ["VILLAGE_NIK_KECAMATAN"] = ("{0} dari {1} NIK Dukcapil di berkas ini diterbitkan di kecamatan {2}, bukan di kecamatan {3} tempat desa {4} tujuan impor ini: tampaknya ini berkas desa lain. Periksa nama berkas dan kode desa sebelum menyimpan; bila kecamatan desa ini pemekaran dari kecamatan {2}, peringatan ini boleh diabaikan.",
            "{0} of this file's {1} Dukcapil NIKs were issued in kecamatan {2}, not in kecamatan {3} of village {4}, where this import goes: this looks like another village's file. Check the file's name and the village code before committing; if this village's kecamatan was split from kecamatan {2}, the warning can be ignored."),
        ["VILLAGE_FILE_NAME_NIK_KECAMATAN"] = ("Berkas {5} bernama desa {4}, tetapi {0} dari {1} NIK Dukcapil di dalamnya diterbitkan di kecamatan {2}, bukan di kecamatan {3} desa itu: tampaknya ini berkas desa lain, atau namanya salah. Tidak ada yang ditulis. Periksa berkasnya; bila benar berkas desa {4} (misalnya kecamatannya pemekaran dari kecamatan {2}), isi kode desanya di formulir unggah atau --village, lalu impor lagi.",
            "The file {5} is named after village {4}, but {0} of its {1} Dukcapil NIKs were issued in kecamatan {2}, not in kecamatan {3} of that village: this looks like another village's file, or a misnamed one. Nothing was written. Check the file; if it is village {4}'s (its kecamatan was split from kecamatan {2}, say), give the village code in the upload form or with --village and import again."),
        ["FAMILY_OTHER_VILLAGE"] = ("NO_KK {0} sudah terdaftar di desa di luar wilayah kerja Anda; keluarga itu diubah oleh petugas desanya atau kabupaten.", "NO_KK {0} is already registered in a village outside your area; that family is changed by its own village's operator or the regency."),
        ["VILLAGE_MISMATCH"] = ("{0} dari {1} keluarga berkas ini yang sudah terdaftar tercatat di desa lain (antara lain {2}), bukan di desa {3} tujuan impor ini (yang diisi, dari nama berkas, atau desa operator). Periksa kode desa: impor ini akan memindahkan keluarga itu ke desa {3}.", "{0} of this file's {1} registered families are registered in another village ({2} among them), not in village {3}, where this import goes (as given, from the file name, or the operator's own). Check the village code: this import would move those families to {3}."),
        ["FAMILY_MOVES_VILLAGE"] = ("NO_KK {0} terdaftar di desa {1}; impor ini memindahkan keluarga itu ke desa {2}.", "NO_KK {0} is registered in village {1}; this import moves the family to village {2}."),
        ["VILLAGE_FROM_FILE_NAME"] = ("Kode desa {0} diambil dari nama berkas {1}. Bila bukan desa itu, isi kode desa di formulir unggah atau --village.", "Village {0} is taken from the file name {1}. If that is not the file's village, give the village in the upload form or with --village."),
        ["VILLAGE_NAME_UNCLEAR"] = ("Kode desa tidak diisi, dan nama berkas {0} tidak menyebut tepat satu desa Kemendagri yang dikenal, terpisah dari huruf dan angka lain (mis. opensid-penduduk-3314012001.xlsx): dua kode desa, kode yang menempel pada huruf, atau kode yang tidak ada di tabel wilayah. Isi kode desa di formulir unggah atau --village, atau perbaiki nama berkasnya.", "No village was given, and the file name {0} does not name exactly one known Kemendagri village standing apart from other letters and digits (e.g. opensid-penduduk-3314012001.xlsx): two village codes, a code glued to letters, or one not in the region table. Give the village in the upload form or with --village, or correct the file name."),
        ["VILLAGE_NOT_FILE_NAME"] = ("Berkas {1} bernama desa {2}, tetapi diimpor ke desa {0} (yang diisi, atau desa operator). Periksa bahwa ini berkas desa {0} dan kodenya benar.", "The file {1} is named after village {2}, but is imported into village {0} (the one given, or the operator's own). Check that this is village {0}'s file and that the code is right."),
        ["VILLAGE_OUTSIDE_REGENCY"] = ("{1} keluarga baru di desa {0}, di luar kabupaten {2} yang dilayani instalasi ini: halaman kabupaten tidak akan menampilkannya. Periksa kode desanya sebelum mengimpor.", "{1} new families in village {0}, outside regency {2}, which this installation serves: the regency's pages will not show them. Check the village code before importing."),
        ["KODE_DESA_OUTSIDE_SCOPE"] = ("Desa/kelurahan {0} di luar wilayah kerja Anda; impor hanya untuk desa Anda sendiri.", "Village {0} is outside your area; you may import only your own village's families."),
        ["FAMILY_CONFLICT"] = ("Berbeda dengan baris {0} untuk NO_KK yang sama: data keluarga harus sama di setiap baris anggotanya.", "Differs from row {0} of the same NO_KK: family fields must be equal on every member row."),
        ["FAMILY_NO_HEAD"] = ("Keluarga NO_KK {0} tidak punya kepala keluarga (HUBUNGAN_KK = 1).", "Family NO_KK {0} has no head (HUBUNGAN_KK = 1)."),
        ["FAMILY_TWO_HEADS"] = ("Keluarga NO_KK {0} punya lebih dari satu kepala keluarga (lihat baris {1}).", "Family NO_KK {0} has more than one head (see row {1})."),
        ["HAMIL_MALE"] = ("HAMIL = 1 hanya untuk perempuan.", "HAMIL = 1 is only valid for women."),
        ["COORDINATE"] = ("Koordinat di luar wilayah Indonesia (lintang −11..6, bujur 95..141).", "Coordinate outside Indonesia (latitude −11..6, longitude 95..141)."),
        ["TEXT_TOO_LONG"] = ("Teks terlalu panjang (maksimum {0} karakter).", "Text too long (at most {0} characters)."),
        ["PERSON_NOT_REGISTERED"] = ("NIK ini belum terdaftar, dan format berkas ini tidak memuat nama, jenis kelamin, tanggal lahir dan hubungan keluarga untuk mendaftarkannya.", "This NIK is not registered, and this file's layout carries no name, sex, birth date and relationship to register it."),
        ["MEMBER_NOT_IN_FILE"] = ("Anggota NIK {0} ada di data terpadu tetapi tidak di berkas; tidak dihapus (penghapusan lewat verifikasi).", "Member NIK {0} is in the registry but not in the file; not removed (removal goes through verification)."),
        ["STATUS_DASAR_TIDAK_VALID"] = ("STATUS_DASAR 9 (tidak valid) tidak diimpor: data yang salah dihapus lewat verifikasi dan musdes.", "STATUS_DASAR 9 (not valid) is not imported: a wrong record is removed through verification and the musdes."),
        ["VERSION_STALE"] = ("Data keluarga ini sudah diubah orang lain (versi {0}) sejak Anda membukanya; periksa perubahan itu lalu ulangi.", "This family was changed by someone else (version {0}) since you opened it; review that change and try again."),
        ["FIELD_NOT_EDITABLE"] = ("Kolom {0} tidak dapat diubah di sini.", "Field {0} cannot be changed here."),
        ["PERSON_NOT_IN_FAMILY"] = ("Anggota ini bukan anggota keluarga tersebut.", "This person is not a member of the family."),
        ["NO_KK_TAKEN"] = ("NO_KK {0} sudah terdaftar untuk keluarga lain.", "NO_KK {0} is already registered to another family."),
        ["SPLIT_EMPTY"] = ("Pecah KK memerlukan NO_KK baru yang berbeda dan paling sedikit satu anggota.", "A family split needs a different new NO_KK and at least one member."),
        ["DATABASE"] = ("Basis data tidak dapat dihubungi atau menolak penulisan: {0}. Tidak ada data yang ditulis.", "The database is unreachable or refused the write: {0}. Nothing was written."),
        ["UNEXPECTED"] = ("Kesalahan tak terduga ({0}); tidak ada data yang ditulis. Laporkan ke administrator.", "Unexpected error ({0}); nothing was written. Report it to the administrator."),
        // Refusals of the file as a whole (Tabular/TabularLimits.cs, Tabular/TabularEncoding.cs): an upload cannot make the
        // server hold more than a bounded part of it, and a file that is not UTF-8 text says so instead of "column missing".
        ["LINE_TOO_LONG"] = ("Baris lebih panjang dari {0} byte; berkas ini bukan tabel impor (tidak ada data yang ditulis).", "The line is longer than {0} bytes; this file is not an import table (nothing was written)."),
        ["CELL_TOO_LONG"] = ("Isi sel lebih panjang dari {0} karakter; berkas ini bukan tabel impor (tidak ada data yang ditulis).", "The cell holds more than {0} characters; this file is not an import table (nothing was written)."),
        ["TOO_MANY_COLUMNS"] = ("Lebih dari {0} kolom dalam satu baris; berkas ini bukan tabel impor.", "More than {0} columns in one row; this file is not an import table."),
        ["FILE_UTF16"] = ("Berkas tersimpan sebagai {0}, bukan UTF-8: simpan ulang sebagai \"CSV UTF-8\" (Excel: Simpan Sebagai → CSV UTF-8) atau unggah XLSX.", "The file is saved as {0}, not UTF-8: save it again as \"CSV UTF-8\" (Excel: Save As → CSV UTF-8) or upload the XLSX."),
        ["FILE_BINARY"] = ("Berkas bukan teks CSV maupun XLSX ({0}): unggah CSV UTF-8 atau XLSX.", "The file is neither CSV text nor an XLSX workbook ({0}): upload CSV UTF-8 or XLSX."),
        ["FILE_XLS"] = ("Berkas ini Excel 97–2003 (.xls), format lama yang tidak dibaca: buka di Excel/LibreOffice lalu Simpan Sebagai \"Excel Workbook (.xlsx)\" dan unggah ulang.", "This is an Excel 97–2003 (.xls) file, an old format that is not read: open it in Excel/LibreOffice, Save As \"Excel Workbook (.xlsx)\" and upload it again."),
        ["HEADER_BELOW_TITLE"] = ("Baris judul kolom berkas ada di baris {0}, bukan di baris pertama: hapus {1} baris di atasnya (judul, keterangan) lalu unggah lagi.", "The file's column header is on row {0}, not the first row: delete the {1} row(s) above it (titles, notes) and upload again."),
        ["PROFILE_UNKNOWN"] = ("Baris judul tidak dikenal sebagai format Tuntas maupun OpenSID (lembar '{0}'; lembar dalam berkas: {1}).", "The header is neither the Tuntas format nor OpenSID's (sheet '{0}'; sheets in the file: {1})."),
        ["PROFILE_UNKNOWN_TEXT"] = ("Baris judul tidak dikenal sebagai format Tuntas maupun OpenSID (kolom pertama: {0}).", "The header is neither the Tuntas format nor OpenSID's (first columns: {0})."),
        ["PROFILE_MIXED"] = ("Baris judul mencampur kolom format Tuntas ({0}) dan OpenSID ({1}); pakai satu format per berkas.", "The header mixes Tuntas columns ({0}) and OpenSID columns ({1}); use one format per file."),
        ["PROFILE_NAME"] = ("Profil impor '{0}' tidak dikenal (pilihan: {1}).", "Unknown import profile '{0}' (choices: {1})."),
        ["VILLAGE_CODE_INVALID"] = ("Kode desa '{0}' tidak sah: tulis 10 angka Kemendagri (3314012001) atau 33.14.01.2001.", "Village code '{0}' is not valid: write Kemendagri's 10 digits (3314012001) or 33.14.01.2001."),
        ["VILLAGE_REQUIRED"] = ("Berkas OpenSID tidak memuat kode desa: isi kode desa (33.14.01.2001 atau 3314012001) di formulir unggah atau --village, atau beri nama berkas dengan kode desanya (opensid-penduduk-3314012001.xlsx).", "An OpenSID file carries no village code: give the village (33.14.01.2001 or 3314012001) in the upload form or with --village, or name the file with its village code (opensid-penduduk-3314012001.xlsx)."),
        ["CODE_UNKNOWN"] = ("Kode atau label '{0}' tidak dikenal untuk kolom ini (pilihan: {1}).", "Code or label '{0}' is not known for this column (choices: {1})."),
        ["SHEETS_NOT_READ"] = ("Lembar {0} tidak dibaca: berkas ini dibaca sebagai DTKS dari lembar {1}. Bila lembar itu berisi data (mis. data penduduk OpenSID), simpan sebagai berkas sendiri lalu impor.", "Sheet(s) {0} not read: this file is read as DTKS from the sheets {1}. If that sheet holds data (such as OpenSID's population), save it as a file of its own and import it."),
        ["DTKS_SHEETS"] = ("Berkas DTKS (REGSOSEK2022.K) harus buku kerja .xlsx dengan lembar 'Keluarga' dan 'Anggota Keluarga' (lembar dalam berkas: {0}).", "A DTKS (REGSOSEK2022.K) file must be an .xlsx workbook with the sheets 'Keluarga' and 'Anggota Keluarga' (sheets in the file: {0})."),
        ["DTKS_REGION"] = ("Kode provinsi.kabupaten {0} (101/102) bukan wilayah desa {1}: berkas ini dari daerah lain atau kode desa salah.", "Province.regency code {0} (101/102) is not the region of village {1}: the file is from elsewhere or the village code is wrong."),
        ["DTKS_FAMILY_REPEATED"] = ("NO_KK ini sudah ada di lembar Keluarga baris {0}.", "This NO_KK is already on row {0} of the Keluarga sheet."),
        ["DTKS_FAMILY_MISSING"] = ("Anggota keluarga NO_KK {0} tidak punya baris di lembar Keluarga.", "The member's family NO_KK {0} has no row on the Keluarga sheet."),
        ["BDT_NOT_REGISTERED"] = ("NIK {0} tidak ada di data terpadu (wilayah Anda): baris BDT 2015 ini dilewati. BDT hanya memperbarui orang yang sudah terdaftar; daftarkan dulu keluarganya (OpenSID, DTKS atau format Tuntas).", "NIK {0} is not in the registry (of your area): this BDT 2015 row is passed over. BDT only updates persons already registered; register the family first (OpenSID, DTKS or the Tuntas format)."),
        ["BDT_NIK_REPEATED"] = ("NIK ini sudah ada di baris {0}; baris ini dilewati dan jawaban baris {0} yang dipakai.", "This NIK already appears on row {0}; this row is passed over and row {0}'s answers are used."),
        ["BDT_FAMILY_TWO_HOUSEHOLDS"] = ("Anggota keluarga NO_KK {0} tercatat di rumah tangga BDT lain dari baris {1}; data rumah dan aset keluarga diambil dari rumah tangga baris {1}.", "Members of family NO_KK {0} are listed in another BDT household than on row {1}; the family's housing and assets are taken from row {1}'s household."),
        ["BDT_NONE_REGISTERED"] = ("Tidak satu pun dari {0} orang di berkas BDT 2015 ini terdaftar di data terpadu (wilayah Anda). BDT hanya memperbarui orang yang sudah terdaftar: impor dulu data penduduk (OpenSID, DTKS atau format Tuntas).", "None of the {0} persons in this BDT 2015 file is in the registry (of your area). BDT only updates persons already registered: import the population first (OpenSID, DTKS or the Tuntas format)."),
        ["FAMILY_NO_MEMBERS"] = ("Keluarga NO_KK {0} belum terdaftar dan baris ini tidak memuat anggota: keluarga baru hanya bisa didaftarkan dengan anggotanya (kolom NIK, NAMA, …).", "Family NO_KK {0} is not registered and this row has no members: a new family can only be registered with its members (columns NIK, NAMA, …)."),
        ["MARKER_NOT_LAST"] = ("Penanda akhir data ### di baris {0}, tetapi masih ada data di baris {1}: hapus baris ### atau data sesudahnya.", "End-of-data marker ### on row {0}, but there is data on row {1}: remove the ### row or the data after it."),
        ["XLSX_TOO_LARGE"] = ("Isi XLSX terlalu besar setelah dibuka ({0}); pecah berkas atau simpan sebagai CSV UTF-8.", "The XLSX unpacks to too much data ({0}); split the file or save it as CSV UTF-8."),
        ["CANCELLED"] = ("Impor dibatalkan; tidak ada data yang ditulis.", "The import was cancelled; nothing was written."),
    };

    public static ImportIssue Issue(long row, string? column, string? value, string code, params object?[] args)
    {
        var (id, en) = _messages.TryGetValue(code, out var m) ? m : (code, code);
        return new ImportIssue(row, column, value, code,
            string.Format(CultureInfo.InvariantCulture, id, args),
            string.Format(CultureInfo.InvariantCulture, en, args));
    }

    public static IEnumerable<string> Codes => _messages.Keys;

    /// <summary>Findings on a file's header that do not stop its import: an unknown column, skipped, and the village read
    /// from the file's name, or a name naming another village than the one given. Every other header finding refuses the file.</summary>
    public static bool IsHeaderWarning(string code) => code is "COLUMN_UNKNOWN" or "VILLAGE_FROM_FILE_NAME" or "VILLAGE_NOT_FILE_NAME" or "SHEETS_NOT_READ";
}
