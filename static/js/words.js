// The words scripts show or announce, in the page's language. base.html carries them as JSON
// (<script id="js-words">, programs/templatetags/js_words.py, translated in locale/*/django.po),
// so they come with the page, offline too. The English text is the key and the fallback.
let catalog = null;

const words = () => {
  catalog ??= JSON.parse(document.getElementById("js-words")?.textContent || "{}");
  return catalog;
};

const fill = (text, values) =>
  text.replace(/%\((\w+)\)s/g, (_, name) => String(values[name] ?? ""));

export const language = () => document.documentElement.lang || "en";

// t("Rep %(rep)s of %(reps)s", { rep: 1, reps: 3 })
export function t(text, values = {}) {
  const found = words()[text];
  return fill(typeof found === "string" ? found : text, values);
}

// tn("1 second", "%(n)s seconds", n): the form for n in the page's language.
export function tn(one, other, n, values = {}) {
  const found = words()[one];
  const [singular, plural] = Array.isArray(found) ? found : [one, other];
  const form = new Intl.PluralRules(language()).select(n) === "one" ? singular : plural;
  return fill(form, { n, ...values });
}
