/* Keeps the dashboard's choices in the address bar (so every view can be bookmarked) and
   carries the global choices (region, years) along the navigation links. */
window.dash_clientside = Object.assign({}, window.dash_clientside, {
    slt: {
        syncGlobal: function (region, years, paths) {
            const params = new URLSearchParams(window.location.search);
            if (region) { params.set("region", region); }
            if (years && years.length === 2) {
                params.set("fra", years[0]);
                params.set("til", years[1]);
            }
            const query = "?" + params.toString();
            if (query !== window.location.search) {
                window.history.replaceState(window.history.state, "", window.location.pathname + query);
            }
            const global = new URLSearchParams();
            ["region", "fra", "til"].forEach(function (key) {
                if (params.has(key)) { global.set(key, params.get(key)); }
            });
            return paths.map(function (path) { return path + "?" + global.toString(); });
        },
        syncPage: function () {
            const args = Array.prototype.slice.call(arguments);
            const keys = args.pop();
            const params = new URLSearchParams(window.location.search);
            keys.forEach(function (key, i) {
                const value = args[i];
                if (value === null || value === undefined || value === "" ||
                    (Array.isArray(value) && value.length === 0)) {
                    params.delete(key);
                } else {
                    params.set(key, Array.isArray(value) ? value.join(",") : value);
                }
            });
            const query = "?" + params.toString();
            if (query !== window.location.search) {
                window.history.replaceState(window.history.state, "", window.location.pathname + query);
            }
            return window.dash_clientside.no_update;
        }
    }
});
