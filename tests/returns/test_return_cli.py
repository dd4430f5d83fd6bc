"""``nesds-desktop export return``, ``export action-plan`` and ``import return``."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from return_support import Edit, assessment_id, criteria_rows, demo_service, edit_return, whole_return_ids

from nesds_desktop.app import main
from nesds_desktop.services.workbook_service import WorkbookService


@pytest.fixture
def service(data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[WorkbookService]:
    with demo_service(data_dir, tmp_path_factory) as opened:
        yield opened


def test_export_return_writes_the_whole_authority_round(
    service: WorkbookService, data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ids = whole_return_ids(service)
    target = tmp_path / "return.xlsx"
    code = main(["--data-dir", str(data_dir), "export", "return", *map(str, ids), "-o", str(target)])
    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    assert out.startswith(f"return written to {target}: 10 assessment(s) (ICT, CS, REV")
    assert "586 criteria" in out
    assert len(criteria_rows(target, "HTW")) == 57

    assert main(["--data-dir", str(data_dir), "export", "return", str(ids[0]), "-o", str(target)]) == 1
    assert "already exists" in capsys.readouterr().err
    assert main(["--data-dir", str(data_dir), "export", "return", str(ids[0]), "-o", str(target), "--force"]) == 0
    assert "1 assessment(s) (ICT)" in capsys.readouterr().out


def test_export_return_refuses_two_authorities_with_the_reason(
    service: WorkbookService, data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    one, other = assessment_id(service, "ICT", 0), assessment_id(service, "ICT", 1)
    target = tmp_path / "mixed.xlsx"
    assert main(["--data-dir", str(data_dir), "export", "return", str(one), str(other), "-o", str(target)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: a return covers one authority in one round") and "2 authorities" in err
    assert not target.exists()


def test_import_return_previews_then_applies(
    service: WorkbookService, data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ict = assessment_id(service, "ICT")
    exported = tmp_path / "ict.xlsx"
    assert main(["--data-dir", str(data_dir), "export", "return", str(ict), "-o", str(exported)]) == 0
    edit_return(exported, tmp_path / "edited.xlsx", "ICT", {"ICT-2-E1": Edit(notes="=From the service head")})
    capsys.readouterr()

    assert main(["--data-dir", str(data_dir), "import", "return", str(tmp_path / "edited.xlsx")]) == 0
    out = capsys.readouterr().out
    assert "ICT-2-E1: evidence notes" in out and "\u201c=From the service head\u201d" in out
    assert "1 change(s) to 1 criteria; 57 criteria unchanged" in out
    assert "nothing was written; run again with --apply" in out
    assert service.answer(ict, "ICT-2-E1").notes != "=From the service head"

    assert main(["--data-dir", str(data_dir), "import", "return", str(tmp_path / "edited.xlsx"), "--apply"]) == 0
    assert "1 change(s) recorded" in capsys.readouterr().out
    assert service.answer(ict, "ICT-2-E1").notes == "=From the service head"


def test_import_of_a_legacy_return_warns_and_fails(
    service: WorkbookService, data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from openpyxl import Workbook

    Workbook().save(tmp_path / "old.xlsx")
    assert main(["--data-dir", str(data_dir), "import", "return", str(tmp_path / "old.xlsx"), "--apply"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("warning: The workbook has no sheet") and "legacy return" in err


def test_export_action_plan_writes_a_pdf(
    service: WorkbookService, data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ict = assessment_id(service, "ICT")
    target = tmp_path / "plan.pdf"
    assert main(["--data-dir", str(data_dir), "export", "action-plan", str(ict), "-o", str(target)]) == 0
    assert capsys.readouterr().out.strip() == f"action plan written to {target}"
    assert target.read_bytes().startswith(b"%PDF")
    assert main(["--data-dir", str(data_dir), "export", "action-plan", "99999", "-o", str(tmp_path / "x.pdf")]) == 1
    assert "there is no assessment 99999" in capsys.readouterr().err
