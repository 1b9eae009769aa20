// The report form, enhanced: once the postcode and house number look complete, look the
// home up (GET /api/v1/addresses) and say where it is and whose it is. The words come from
// the live region's data-* attributes, in the page's language. Without this script the
// form works the same; the server checks every field again.
(function () {
  "use strict";

  const POSTCODE = /^\s*[1-9][0-9]{3}\s*[A-Za-z]{2}\s*$/;
  // As parse_house_number in service/domain/addresses.py reads it: "12", "12a", "12 bis", "12-2".
  // No lookbehind, which older Safari cannot parse: houseNumberParts checks the separator.
  const HOUSE_NUMBER =
    /^\s*([1-9][0-9]{0,4})(?:\s*([A-Za-z])(?![A-Za-z]))?(?:(\s*[-/]\s*|\s+)?([A-Za-z0-9]{1,4}))?\s*$/;
  const WAIT_AFTER_TYPING_MS = 300;
  const FIELDS = ["postcode", "house_number", "house_letter", "addition"];

  const region = document.getElementById("address-lookup");
  if (!region || !window.fetch) {
    return;
  }
  let timer = null;
  let latest = 0; // number of the newest lookup: answers to older ones are ignored
  let shown = ""; // what the region says now, so the same words are not announced twice

  // Number, letter and addition, or null. Digits run on into the number ("123456" is no
  // 12345 with addition 6): an addition right after a digit needs a separator.
  function houseNumberParts(typed) {
    const found = HOUSE_NUMBER.exec(typed);
    if (!found) {
      return null;
    }
    const [, number, letter, separator, addition] = found;
    if (addition && !letter && !separator && /^[0-9]/.test(addition)) {
      return null;
    }
    return { number: number, house_letter: letter, addition: addition };
  }

  function field(name) {
    return document.getElementById(name).value.trim();
  }

  function say(lines, found) {
    const text = lines.join("\n");
    if (text === shown) {
      return;
    }
    shown = text;
    region.classList.toggle("not-found", !found);
    region.replaceChildren(
      ...lines.map(function (line) {
        const paragraph = document.createElement("p");
        paragraph.textContent = line;
        return paragraph;
      })
    );
  }

  function describe(home) {
    if (!home.known) {
      return say([region.dataset.notFound], false);
    }
    let number = String(home.house_number) + (home.house_letter || "");
    if (home.addition) {
      number += "-" + home.addition;
    }
    const street = [home.street, number].filter(Boolean).join(" ");
    const place = [home.postcode, home.city].filter(Boolean).join(" ");
    const owner = region.dataset.owner.replace("{corporation}", function () {
      return home.corporation.name;
    });
    say([street + ", " + place, owner], true);
  }

  async function lookUp() {
    const asked = ++latest;
    const postcode = field("postcode");
    const typed = houseNumberParts(field("house_number"));
    // A malformed postcode gets nothing here: the server's message next to the field explains.
    if (!POSTCODE.test(postcode) || !typed) {
      return say([], false);
    }
    const query = new URLSearchParams({ postcode: postcode, house_number: typed.number });
    // A letter or addition typed in the house number comes first; the server asks when the
    // separate field says otherwise.
    for (const name of ["house_letter", "addition"]) {
      const part = typed[name] || field(name);
      if (part) {
        query.set(name, part);
      }
    }
    let home = null;
    try {
      const response = await fetch("/api/v1/addresses?" + query, {
        headers: { Accept: "application/json" },
      });
      home = response.ok ? await response.json() : null;
    } catch (error) {
      home = null; // offline or the server is away: the form still works
    }
    if (asked !== latest) {
      return; // the tenant typed on; a newer lookup answers
    }
    if (home === null) {
      return say([], false);
    }
    describe(home);
  }

  function lookUpSoon() {
    window.clearTimeout(timer);
    timer = window.setTimeout(lookUp, WAIT_AFTER_TYPING_MS);
  }

  for (const name of FIELDS) {
    document.getElementById(name).addEventListener("input", lookUpSoon);
  }
  // A form shown again (after an error elsewhere) may already hold a complete address.
  lookUp();
})();
