#!/usr/bin/env bash
# Checks every committed report in reports/ as a browser and a validator would, with
# ../shared/tools/check_report.sh (Nu HTML Checker, axe-core WCAG 2.0/2.1 A+AA, blocked external
# requests, console errors; it installs chromium, Java and the npm tools itself on first use).
# Screenshots and PDFs go to target/check-reports/<report>/ (or $CHECK_REPORTS_OUT).
# Exit: 0 when every report is clean, else the lowest non-zero code check_report.sh gave.
set -uo pipefail
cd "$(dirname "$0")/.."

tool=../shared/tools/check_report.sh
out="${CHECK_REPORTS_OUT:-target/check-reports}"
[ -x "$tool" ] || [ -f "$tool" ] || { echo "check-reports: $tool is missing" >&2; exit 4; }
shopt -s nullglob
reports=(reports/*.html)
[ ${#reports[@]} -gt 0 ] || { echo "check-reports: no reports in reports/" >&2; exit 4; }

worst=0
failed=()
for report in "${reports[@]}"; do
  name="$(basename "${report%.html}")"
  mkdir -p "$out/$name"
  echo "== $report"
  bash "$tool" "$report" "$out/$name"
  rc=$?
  if [ "$rc" -ne 0 ]; then
    failed+=("$report (exit $rc)")
    if [ "$worst" -eq 0 ] || [ "$rc" -lt "$worst" ]; then worst=$rc; fi
  fi
done
echo
if [ ${#failed[@]} -eq 0 ]; then
  echo "check-reports: ${#reports[@]} report(s) clean; screenshots and PDFs in $out/"
else
  echo "check-reports: ${#failed[@]} of ${#reports[@]} report(s) failed: ${failed[*]}"
fi
exit "$worst"
