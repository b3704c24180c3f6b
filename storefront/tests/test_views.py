from django.urls import reverse


def test_healthz_answers_without_the_database(client):
    # No django_db mark: pytest-django makes any query in this test an error.
    response = client.get(reverse("healthz"))

    assert response.status_code == 200
    assert response.content == b"ok"
