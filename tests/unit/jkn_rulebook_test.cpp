// The JKN rulebook as a host or a roster sweep uses it: every decision at once, for one person of
// each kind the cooperative meets. Scenario files check values; this checks that no decision
// needs a fact that does not concern the person (a class for a wage worker, a wage for a PBPU).

#include <gtest/gtest.h>

#include "kaidah/kaidah.h"

namespace kaidah {
namespace {

TEST(JknRulebook, EveryDecisionEvaluatesForEveryKindOfPerson) {
  const Rulebook rules = Rulebook::load(std::string(KAIDAH_SOURCE_DIR) + "/rules/jkn");
  const char* people[] = {
      // Kopdes employee (PPU Badan Usaha)
      "{citizenship: indonesian, work_status: employee, employer_type: cooperative, kopdes_merah_putih: true, "
      "enrolled_segment: ppu_badan_usaha, wage: 3500000, minimum_wage: 2500000, last_month_paid: 2026-09}",
      // civil servant (PPU Penyelenggara Negara)
      "{citizenship: indonesian, work_status: employee, employer_type: state, enrolled_segment: ppu_penyelenggara_negara, "
      "wage: 6000000, last_month_paid: 2026-11}",
      // informal worker (PBPU) in arrears, with family
      "{citizenship: indonesian, work_status: self_employed, enrolled_segment: pbpu, kelas: kelas_3, last_month_paid: 2025-02, "
      "family: [{relation: spouse, birth_date: 1990-01-01}]}",
      // poor member (PBI JK), moved from PBPU with old arrears
      "{citizenship: indonesian, work_status: self_employed, assistance: central_budget, enrolled_segment: pbi_jk, "
      "previous_segment: pbpu, segment_changed_on: 2026-03-01, kelas: kelas_3, last_month_paid: 2025-06, dtsen_decile: 2}",
      // resident registered by the regional government
      "{citizenship: indonesian, work_status: not_working, assistance: regional_budget, enrolled_segment: pbpu_pemda}",
      // pensioner (BP), class II, up to date
      "{citizenship: indonesian, work_status: not_working, enrolled_segment: bp, kelas: kelas_2, last_month_paid: 2026-11}",
      // veteran (BP paid by the government)
      "{citizenship: indonesian, work_status: not_working, non_worker_category: veteran_or_pioneer, enrolled_segment: bp, "
      "reference_salary: 3000000}",
      // foreigner who need not enroll yet
      "{citizenship: foreign, months_worked_in_indonesia: 3, work_status: employee, employer_type: business_entity}",
      // unregistered informal worker found by the sweep
      "{citizenship: indonesian, work_status: self_employed, kelas: kelas_3}",
  };
  const std::size_t decisions = rules.decisions().size();
  for (const char* person : people) {
    SCOPED_TRACE(person);
    const Case c = rules.read_case(person);
    Result r;
    ASSERT_NO_THROW(r = rules.evaluate(c, Date(2026, 11, 24))) << person;
    EXPECT_EQ(r.values().size(), decisions);
  }
}

}  // namespace
}  // namespace kaidah
