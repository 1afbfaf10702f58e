#include "words.h"

#include <algorithm>
#include <array>
#include <stdexcept>

namespace kaidah::cli {
namespace {

struct Entry {
  std::string_view key, id, en;
};

// The report's own words. What the rulebook names (its decisions and their values) is not here:
// it comes from the rulebook's labels.
constexpr std::array kWords = {
    Entry{"title", "Hasil PESIAR", "PESIAR sweep"},
    Entry{"rules", "aturan", "rules"},
    Entry{"on", "tanggal", "on"},
    Entry{"summary", "Ringkasan", "Summary"},
    Entry{"people_in_roster", "Orang dalam daftar", "People in the roster"},
    Entry{"every_answer", "jawaban lengkap", "every answer given"},
    Entry{"some_answers", "sebagian jawaban (lihat Data belum lengkap)", "some answers (see Facts missing)"},
    Entry{"rows_not_read", "baris tidak terbaca", "rows not read"},
    Entry{"missing_note", "jawaban kosong karena data kurang; tidak dihitung dalam total",
          "answers the facts do not allow are blank and left out of every total"},
    Entry{"people", "orang", "people"},
    Entry{"work_lists", "Daftar kerja", "Work lists"},
    Entry{"list_incomplete", "Data belum lengkap", "Facts missing"},
    Entry{"list_incomplete_note", "Jawaban yang kosong dan data yang diperlukan untuk melengkapinya.",
          "The answers left blank and the facts needed to give them."},
    Entry{"print", "Cetak", "Print"},
    Entry{"sort_hint", "Klik judul kolom untuk mengurutkan.", "Click a column title to sort."},
    Entry{"first_of", "pertama dari", "first of"},
    Entry{"all_in_csv", "semua ada di people.csv", "all are in people.csv"},
    Entry{"nobody", "Tidak ada.", "Nobody."},
    Entry{"none_counted", "(tidak ada)", "(none)"},
    Entry{"undecided", "orang belum bisa ditentukan untuk daftar ini: alasannya ada di people.csv.",
          "people could not be decided for this list: the reason is in people.csv."},
    Entry{"charts", "Grafik", "Charts"},
    Entry{"notes", "Catatan", "Notes"},
    Entry{"everyone", "Semua orang", "Everyone"},
    Entry{"line", "Baris", "Line"},
    Entry{"id", "ID", "ID"},
    Entry{"name", "Nama", "Name"},
    Entry{"reason", "Alasan", "Reason"},
    Entry{"column", "kolom", "column"},
    Entry{"refused", "tidak sah", "not valid"},
    Entry{"not_given", "belum diisi", "not given"},
    Entry{"blank_of", "belum bisa dihitung", "not yet known"},
    Entry{"yes", "Ya", "yes"},
    Entry{"no", "Tidak", "no"},
    Entry{"time", "waktu (detik)", "time (seconds)"},
    Entry{"sums_note", "Semua angka dihitung dari jawaban setiap orang di people.csv.",
          "Every figure adds up the answers of the people in people.csv."},
    Entry{"note", "catatan", "note"},
    Entry{"written", "ditulis", "written"},
};

// The notes' sentences ({0}, {1}... are the note's args, {d} its decisions), as the words above;
// also the reasons a roster's cell is refused in its locale.
constexpr std::array kNotes = {
    Entry{"locale_detected",
          "dibaca seperti spreadsheet berbahasa Indonesia menyimpannya, sesuai baris judulnya (';' antarkolom): "
          "angka ditulis 3.500.000,00, tanggal 24/11/2026; pakai --locale en untuk menolaknya",
          "read as a spreadsheet set to Indonesian saves it, as its header line is (';' between the columns): "
          "numbers as 3.500.000,00, dates as 24/11/2026; --locale en to refuse that reading"},
    Entry{"column_unnamed", "kolom {0} tidak bernama; diabaikan", "column {0} has no name; it is ignored"},
    Entry{"column_ignored", "kolom '{0}' bukan data masukan {1}; diabaikan", "column '{0}' is not an input of {1}; it is ignored"},
    Entry{"column_ignored_guess", "kolom '{0}' bukan data masukan {1}; diabaikan (bila maksudnya '{2}', ganti nama kolomnya menjadi '{2}')",
          "column '{0}' is not an input of {1}; it is ignored (if it is '{2}', name it so)"},
    Entry{"column_needed",
          "tidak ada kolom '{0}': diperlukan untuk {1} orang, untuk sebagian dari: {d}; jawaban itu dibiarkan "
          "kosong (kaidah template menampilkan kolom-kolomnya)",
          "no column '{0}': needed by {1} person(s) for some of {d}, left blank (kaidah template lists the columns)"},
    Entry{"rows_multi_line",
          "{0} baris data memanjang ke beberapa baris berkas, yang pertama mulai baris {1} (isian bertanda kutip memuat "
          "ganti baris); bila seharusnya tidak ada, tanda kutip penutup hilang dan beberapa baris terbaca sebagai satu",
          "{0} row(s) run over several lines, the first from line {1} (a quoted field holds a line break); if none "
          "should, a closing quote is missing and rows were read as one"},
    Entry{"figure_undecided", "{0} orang tidak dapat dihitung dalam '{1}': alasannya ada di people.csv",
          "{0} person(s) could not be counted in '{1}': the reason is in people.csv"},
    Entry{"rows_blank", "{0} baris kosong (semua isian kosong) dilewati", "{0} blank row(s) (every field empty) skipped"},
    Entry{"ids_repeated",
          "{0} baris mengulang id baris sebelumnya, yang pertama '{1}' di baris {2} dan {3} (orang yang tertempel dua "
          "kali terhitung dua kali)",
          "{0} row(s) repeat an id of an earlier row, the first '{1}' on lines {2} and {3} (a person pasted twice is "
          "counted twice)"},
    Entry{"not_a_number", "'{0}' bukan angka yang ditulis cara Indonesia (3.500.000 atau 3.500.000,50)",
          "'{0}' is not a number written the Indonesian way (3.500.000 or 3.500.000,50)"},
    Entry{"not_a_month", "'{0}' bukan bulan yang ditulis 11/2026 (atau 2026-11)",
          "'{0}' is not a month written 11/2026 (or 2026-11)"},
    Entry{"not_a_date", "'{0}' bukan tanggal yang ditulis 24/11/2026 (atau 2026-11-24)",
          "'{0}' is not a date written 24/11/2026 (or 2026-11-24)"},
};

}  // namespace

std::string note_text(const Note& note, std::string_view language, const Words* labels) {
  const auto it = std::find_if(kNotes.begin(), kNotes.end(), [&](const Entry& e) { return e.key == note.key; });
  if (it == kNotes.end()) throw std::logic_error("no sentence for the note '" + note.key + "'");
  const std::string_view sentence = language == "id" ? it->id : it->en;
  std::string out;
  for (std::size_t i = 0; i < sentence.size(); ++i) {
    const char field = i + 2 < sentence.size() && sentence[i] == '{' && sentence[i + 2] == '}' ? sentence[i + 1] : 0;
    if (field == 'd') {
      for (std::size_t k = 0; k < note.decisions.size(); ++k)
        out += (k ? ", " : "") + (labels ? labels->decision(note.decisions[k]) : note.decisions[k]);
    } else if (field >= '0' && field <= '9' && static_cast<std::size_t>(field - '0') < note.args.size()) {
      out += note.args[static_cast<std::size_t>(field - '0')];
    } else {
      out += sentence[i];
      continue;
    }
    i += 2;
  }
  return out;
}

Words::Words(std::string language, const std::vector<DecisionInfo>& decisions, const std::vector<InputInfo>& inputs)
    : language_(std::move(language)) {
  for (const DecisionInfo& d : decisions) {
    labels_[d.name] = d.labels;
    kinds_[d.name] = {d.type, d.unit};
  }
  for (const InputInfo& in : inputs) input_labels_[in.name] = in.labels;
}

std::string Words::input(const std::string& name) const {
  const auto it = input_labels_.find(name);
  const std::string label = it == input_labels_.end() ? "" : it->second.of_name(language_);
  return label.empty() ? name : label + " (" + (*this)("column") + " " + name + ")";
}

bool Words::numeric(const std::string& name) const {
  const auto it = kinds_.find(name);
  return it != kinds_.end() && (it->second.first == "decimal" || it->second.first == "integer");
}

std::string Words::cell(const std::string& name, const std::string& value) const {
  if (value.empty()) return value;
  const auto it = kinds_.find(name);
  if (it == kinds_.end()) return value;  // line, id, name, error: as they are
  return numeric(name) ? amount(name, Decimal::parse(value)) : this->value(name, value);
}

std::string Words::amount(const std::string& name, const Decimal& d) const {
  const auto it = kinds_.find(name);
  return it != kinds_.end() && it->second.second == "rupiah" ? money(d) : number(d);
}

std::string Words::label(const std::map<std::string, std::string>& label, const std::string& fallback) const {
  for (const std::string& l : {language_, std::string("en")})
    if (const auto it = label.find(l); it != label.end()) return it->second;
  return fallback;
}

std::string Words::operator()(std::string_view key) const {
  for (const Entry& e : kWords)
    if (e.key == key) return std::string(language_ == "id" ? e.id : e.en);
  return std::string(key);
}

std::string Words::decision(const std::string& name) const {
  const auto it = labels_.find(name);
  const std::string label = it == labels_.end() ? "" : it->second.of_name(language_);
  return label.empty() ? name : label;
}

std::string Words::value(const std::string& name, const std::string& value) const {
  if (value == "true" || value == "false") return (*this)(value == "true" ? "yes" : "no");
  const auto it = labels_.find(name);
  const std::string label = it == labels_.end() ? "" : it->second.of_value(value, language_);
  return label.empty() ? value : label;
}

std::string Words::money(const Decimal& d) const { return "Rp " + number(d); }

std::string Words::number(const Decimal& d) const {
  return language_ == "id" ? group_digits(d, '.', ',') : group_digits(d, ',', '.');
}

std::string Words::date(const Date& d) const {
  if (language_ != "id") return d.to_string();
  const std::string iso = d.to_string();  // YYYY-MM-DD
  return iso.substr(8, 2) + "/" + iso.substr(5, 2) + "/" + iso.substr(0, 4);
}

}  // namespace kaidah::cli
