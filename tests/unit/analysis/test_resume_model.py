from cvlens.analysis.resume import Basics, Resume, Work


def test_dump_uses_json_resume_field_names() -> None:
    resume = Resume(basics=Basics(name="Ada"), work=[Work(name="ACME", startDate="2020-01")])
    data = resume.to_json_resume()
    assert data["basics"] == {"name": "Ada", "profiles": []}
    assert data["work"] == [{"name": "ACME", "startDate": "2020-01", "highlights": []}]


def test_a_job_without_employer_moves_to_meta_whole() -> None:
    named = Work(name="ACME", position="Engineer", startDate="2020-01")
    unnamed = Work(position="Consultant", startDate="2018-03", highlights=["Cut costs 10%"])
    data = Resume(work=[unnamed, named]).to_json_resume()
    assert data["work"] == [named.model_dump(exclude_none=True)]
    assert data["meta"] == {
        "cvlens": {
            "workWithoutEmployer": [
                {"position": "Consultant", "startDate": "2018-03", "highlights": ["Cut costs 10%"]}
            ]
        }
    }


def test_no_meta_when_every_job_names_its_employer() -> None:
    data = Resume(work=[Work(name="ACME", position="Engineer")]).to_json_resume()
    assert "meta" not in data
