/* The server refuses a callback with a JSON body {"feil": "..."}: 401 when the session has ended
   (logged out in another tab, password or role changed, login required), 403 for a role that may
   not do it, 413 for a request over the size limit.  Dash shows nothing for a failed callback
   outside debug mode, so the page would just stop reacting; this says why, in a banner at the
   top, with a link to log in again after a 401.  A server error (5xx, also from a proxy while
   the server restarts) gets a plain message and a reload button, gone again at the next
   answer. */
(function () {
    const BANNER = "slt-refusal";
    const original = window.fetch;

    function show(status, text) {
        let box = document.getElementById(BANNER);
        if (!box) {
            box = document.createElement("div");
            box.id = BANNER;
            box.setAttribute("role", "alert");
            box.className = "alert alert-warning m-3 d-flex flex-wrap align-items-center gap-2";
            document.body.prepend(box);
        }
        box.replaceChildren();
        box.dataset.status = String(status);
        const message = document.createElement("span");
        message.textContent = status === 401
            ? "Du er ikke lenger logget inn, så siden kan ikke hente eller endre noe."
            : text;
        box.append(message);
        if (status >= 500) {
            const reload = document.createElement("button");
            reload.type = "button";
            reload.className = "btn btn-primary btn-sm";
            reload.textContent = "Last siden på nytt";
            reload.addEventListener("click", function () { location.reload(); });
            box.append(reload);
        }
        if (status === 401) {
            const link = document.createElement("a");
            link.href = "/logg-inn?neste=" + encodeURIComponent(location.pathname + location.search);
            link.className = "btn btn-primary btn-sm";
            link.textContent = "Logg inn igjen";
            box.append(link);
        }
    }

    window.fetch = async function (resource, init) {
        const response = await original.call(this, resource, init);
        const url = String((resource && resource.url) || resource);
        if (response.ok && url.includes("/_dash-")) {
            const box = document.getElementById(BANNER);  // a server error that has passed
            if (box && Number(box.dataset.status) >= 500) { box.remove(); }
        } else if (response.status >= 500 && url.includes("/_dash-")) {
            show(response.status, "Serveren kunne ikke svare nå (feil " + response.status +
                 "), så det som vises kan være utdatert. Prøv igjen om litt.");
        } else if (response.status >= 400 && url.includes("/_dash-")) {
            response.clone().json()
                .then(function (body) { if (body && body.feil) { show(response.status, body.feil); } })
                .catch(function () { /* not one of our refusals */ });
        }
        return response;
    };
})();
