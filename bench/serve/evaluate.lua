-- wrk: every request evaluates one PPU case (a Kopdes Merah Putih employee) for its contributions.
wrk.method = "POST"
wrk.path = "/v1/evaluate"
wrk.headers["Content-Type"] = "application/json"
wrk.body = [[{"date": "2026-11-24", "decisions": ["iuran_total", "iuran_employer", "iuran_worker"], "case": {"citizenship": "indonesian", "work_status": "employee", "employer_type": "cooperative", "kopdes_merah_putih": true, "enrolled_segment": "ppu_badan_usaha", "wage": "3500000", "minimum_wage": "2500000", "last_month_paid": "2026-11"}}]]
