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

// The core PESIAR case (issue #18): a self-employed villager, not registered, who has not chosen
// a class. Perpres 82/2018 Pasal 6 (every resident enrols), Pasal 4-5 (a self-employed worker is
// PBPU and registers himself): register, as PBPU. Pasal 34 sets the amount by class, so the
// contribution and who pays it wait for the class: those decisions say so, the rest are given.
TEST(JknRulebook, AVillagerWithoutAClassGetsEveryAnswerThatDoesNotNeedOne) {
  const Rulebook rules = Rulebook::load(std::string(KAIDAH_SOURCE_DIR) + "/rules/jkn");
  const Case villager = rules.read_case("{citizenship: indonesian, work_status: self_employed, birth_date: 1985-03-02}");
  const Result r = rules.evaluate(villager, Date(2026, 12, 1), {}, OnError::keep);
  EXPECT_EQ(r["must_enroll"], Value(true));
  EXPECT_EQ(r["required_segment"], Value("pbpu"));
  EXPECT_EQ(r["registered_by"], Value("participant"));
  EXPECT_EQ(r["next_action"], Value("register"));
  EXPECT_EQ(r["arrears_amount"], Value(Decimal(0)));
  std::vector<std::string> unanswered;
  for (const DecisionError& e : r.errors()) {
    unanswered.push_back(e.decision);
    EXPECT_EQ(e.error.input(), "kelas") << e.decision;  // every one for want of the class, and no other fact
  }
  EXPECT_EQ(unanswered, (std::vector<std::string>{"current_month_contribution", "class_rate", "iuran_participant",
                                                  "iuran_central_government", "iuran_regional_government", "iuran_total",
                                                  "payer"}));
  EXPECT_EQ(r.values().size() + r.errors().size(), rules.decisions().size());
  EXPECT_THROW((void)r["iuran_total"], EvaluationError);  // never read as none
  EXPECT_FALSE(r.ok());
  // The whole-case answer stays available: the first failure, thrown.
  EXPECT_THROW(rules.evaluate(villager, Date(2026, 12, 1)), EvaluationError);
}

// OnError::keep with a value that does not fit: it is said (refused_inputs), the decisions that
// read it have its reason, and those that do not are computed. The explanation holds the failure.
TEST(JknRulebook, ARefusedValueBlanksOnlyWhatReadsIt) {
  const Rulebook rules = Rulebook::load(std::string(KAIDAH_SOURCE_DIR) + "/rules/jkn");
  Case c;
  c.set("citizenship", "indonesian").set("work_status", "self_employed").set("kelas", "kelas_9");
  const std::vector<std::string> asked = {"must_enroll", "iuran_total"};
  const Result r = rules.explain(c, Date(2026, 12, 1), asked, OnError::keep);
  ASSERT_EQ(r.refused_inputs().size(), 1u);
  EXPECT_EQ(r.refused_inputs()[0].field(), "kelas");
  EXPECT_EQ(r["must_enroll"], Value(true));
  ASSERT_EQ(r.errors().size(), 1u);
  EXPECT_EQ(r.errors()[0].decision, "iuran_total");
  EXPECT_EQ(r.errors()[0].error.input(), "kelas");
  EXPECT_NE(std::string(r.errors()[0].error.what()).find("input 'kelas': 'kelas_9' is not one of"), std::string::npos);
  const DecisionTrace* traced = r.explanation().find("iuran_total");
  ASSERT_NE(traced, nullptr);
  EXPECT_EQ(traced->error, r.errors()[0].error.what());
  EXPECT_NE(r.explanation().to_text().find("iuran_total: no value: "), std::string::npos);
  EXPECT_THROW(rules.evaluate(c, Date(2026, 12, 1), asked), CaseError);  // OnError::raise
}

}  // namespace
}  // namespace kaidah
