from cvlens.analysis.resume import Basics, Resume, Work


def test_dump_uses_json_resume_field_names() -> None:
    resume = Resume(basics=Basics(name="Ada"), work=[Work(name="ACME", startDate="2020-01")])
    data = resume.to_json_resume()
    assert data["basics"] == {"name": "Ada", "profiles": []}
    assert data["work"] == [{"name": "ACME", "startDate": "2020-01", "highlights": []}]
