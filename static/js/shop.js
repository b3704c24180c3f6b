// Storefront's only script of its own: visible feedback when an htmx request fails, so a
// click never seems to do nothing (refusals the page explains itself, 409, 422 and 429, are
// swapped in like successes; see the htmx-config meta tag in base.html); keyboard users
// keep their place when htmx replaces the control they used; and filter URLs stay short.
(function () {
  "use strict";

  const MESSAGES = {
    0: "We could not reach the shop. Check your connection and try again.",
    403: "Your session has expired. Reload the page and try again.",
    404: "That is no longer here. Reload the page to see what is.",
    503: "The shop is busy or briefly down. Nothing was lost; try again in a moment.",
  };
  const FALLBACK = "Something went wrong on our side. Please try again.";

  function showError(text) {
    const area = document.getElementById("messages");
    if (!area) return;
    const alert = document.createElement("div");
    alert.className = "alert alert-danger alert-dismissible fade show";
    alert.setAttribute("role", "alert");
    alert.textContent = text;
    const close = document.createElement("button");
    close.type = "button";
    close.className = "btn-close";
    close.setAttribute("data-bs-dismiss", "alert");
    close.setAttribute("aria-label", "Close");
    alert.append(close);
    area.append(alert);
  }

  function onFailure(event) {
    // Background requests (the stock poller) fail quietly: the next poll tries again.
    if (event.detail.elt.closest("[data-quiet-errors]")) return;
    const status = event.detail.xhr ? event.detail.xhr.status : 0;
    showError(MESSAGES[status] || FALLBACK);
  }

  document.addEventListener("htmx:responseError", onFailure);
  document.addEventListener("htmx:sendError", onFailure);

  // A control that sends an htmx request is disabled while it waits (hx-disabled-elt), which
  // takes the focus from it, and the answer then replaces it. htmx gives focus back to the
  // element with the focused element's id only if the focus is still there when it swaps;
  // so the id is noted as the request starts, and focus goes to the control's replacement
  // unless the visitor has moved on meanwhile.
  const focusedWhenSent = new WeakMap();

  document.addEventListener("htmx:beforeRequest", (event) => {
    const focused = document.activeElement;
    if (focused && focused.id && event.detail.elt.contains(focused)) {
      focusedWhenSent.set(event.detail.xhr, focused.id);
    }
  });

  // A form marked data-drop-empty-params leaves its empty fields out of htmx's GET, so the
  // URL it pushes reads "?q=mug", not "?q=mug&category=&min_price=&max_price=" (and one page
  // is cached once, not under every spelling of it).
  document.addEventListener("htmx:configRequest", (event) => {
    if (event.detail.verb !== "get" || !event.detail.elt.closest("[data-drop-empty-params]")) {
      return;
    }
    const data = event.detail.formData;
    for (const [name, value] of Array.from(data.entries())) {
      if (value === "") data.delete(name);
    }
  });

  document.addEventListener("htmx:afterSettle", (event) => {
    const id = focusedWhenSent.get(event.detail.xhr);
    if (!id || (document.activeElement && document.activeElement !== document.body)) return;
    const replacement = document.getElementById(id);
    if (replacement) replacement.focus();
  });
})();
