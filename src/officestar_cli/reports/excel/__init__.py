"""The Excel report (``officestar-<FY>-round-<N>.xlsx``), written through XlsxWriter's public API.

- ``cells``: fonts, fills, formats and one worksheet's writer (the cell layer);
- ``ranking`` and ``chart``: the ranking sheet and its column chart;
- ``grids``: criteria, members and coverage by office;
- ``sources``: one row per member and office, every score traced to its cell;
- ``audit``: the facts of the round, every file, what the method did;
- ``workbook``: the sheets put together, the properties and the report marker.
"""

from officestar_cli.reports.excel.cells import shown_digits
from officestar_cli.reports.excel.ranking import TIER_COLOURS, tier_colour
from officestar_cli.reports.excel.sources import cell_runs, expand_runs, note_cells
from officestar_cli.reports.excel.workbook import build_report

__all__ = ["TIER_COLOURS", "build_report", "cell_runs", "expand_runs", "note_cells", "shown_digits", "tier_colour"]
