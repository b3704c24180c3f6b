from django.urls import reverse
from playwright.sync_api import Page, expect

from accounts.tests.factories import UserFactory

PASSWORD = "plum-orchard-1848"


def test_a_visitor_signs_up_edits_the_address_in_place_and_signs_back_in(page: Page):
    page.goto("/")
    navbar = page.get_by_role("navigation", name="Main")

    navbar.get_by_role("link", name="Sign up").click()
    page.get_by_label("Username").fill("ada")
    page.get_by_label("Email address").fill("ada@example.com")
    page.get_by_label("Choose a password").fill(PASSWORD)
    page.get_by_label("Confirm password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()

    expect(page.get_by_role("alert")).to_contain_text("Welcome to Storefront, ada!")
    expect(navbar.get_by_role("button", name="ada")).to_be_visible()
    expect(navbar.get_by_role("link", name="Sign in")).to_have_count(0)

    navbar.get_by_role("button", name="ada").click()
    navbar.get_by_role("link", name="Account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account")
    profile = page.get_by_role("region", name="Contact and shipping address")
    expect(profile).to_contain_text("None yet")
    # A full page load would wipe this marker; editing in place keeps it.
    page.evaluate("window.stillTheSamePage = true")

    profile.get_by_role("link", name="Edit").click()
    expect(profile.get_by_label("Name")).to_be_focused()
    profile.get_by_label("Name").fill("Ada Lovelace")
    profile.get_by_label("Address line 1").fill("12 St James's Square")
    profile.get_by_label("Postal code").fill("SW1Y 4JH")
    profile.get_by_label("City").fill("London")
    profile.get_by_label("Country").select_option(label="United Kingdom")
    profile.get_by_role("button", name="Save").click()

    expect(page.get_by_role("alert")).to_contain_text("Your details are saved.")
    expect(profile).to_contain_text("12 St James's Square")
    expect(profile.get_by_role("textbox")).to_have_count(0)
    assert page.evaluate("window.stillTheSamePage") is True

    page.reload()
    expect(profile).to_contain_text("Ada Lovelace")
    expect(profile).to_contain_text("SW1Y 4JH London")

    navbar.get_by_role("button", name="ada").click()
    navbar.get_by_role("button", name="Sign out").click()
    expect(navbar.get_by_role("link", name="Sign in")).to_be_visible()

    navbar.get_by_role("link", name="Sign in").click()
    page.get_by_label("Username").fill("ada")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(navbar.get_by_role("button", name="ada")).to_be_visible()


def test_leaving_a_taken_username_says_so_before_the_form_is_sent(page: Page):
    UserFactory(username="ada")
    page.goto(reverse("signup"))

    page.get_by_label("Username").fill("Ada")
    page.get_by_label("Email address").focus()

    expect(page.get_by_text("A user with that username already exists.")).to_be_visible()
    expect(page.get_by_label("Username")).to_have_value("Ada")
    # The check leaves the cursor where the visitor went.
    expect(page.get_by_label("Email address")).to_be_focused()
