// The page shell of Streamlit is English (<html lang="en">, uploader, table toolbar, "Page not found").
// This script runs in a zero-height same-origin frame of every page (integra/web/german.py) and makes the
// app's document German: lang="de" (hyphenation, screen readers) and the shell's English texts.
(function () {
  var doc = window.parent.document;
  var texts = JSON.parse(document.getElementById("integra-texts").textContent);
  var patterns = [
    [/^(?:Limit )?(\d+)\s*MB per file/, "höchstens $1 MB je Datei"],
    [/^You have requested page \/(.*), but no corresponding file was found in the app's pages\/ directory\..*/,
     "Die Seite „/$1“ gibt es nicht. Bitte eine Seite aus der Navigation wählen."],
    [/^Deferred .*/, "Die Datei war nicht mehr bereit – bitte noch einmal klicken."],
    [/^Help for (.+)$/, "Hilfe zu $1"],
    [/^Remove (.+)$/, "$1 entfernen"],
    [/^(\d+)\.(\d)(B|KB|MB|GB)$/, "$1,$2 $3"],  // the uploader's file size: "340.0B"
  ];
  function german(text) {
    var trimmed = text.trim();
    if (Object.prototype.hasOwnProperty.call(texts, trimmed)) { return text.replace(trimmed, texts[trimmed]); }
    for (var i = 0; i < patterns.length; i++) {
      if (patterns[i][0].test(trimmed)) { return text.replace(trimmed, trimmed.replace(patterns[i][0], patterns[i][1])); }
    }
    return null;
  }
  function translate(root) {
    var walker = doc.createTreeWalker(root, NodeFilter.SHOW_TEXT), node;
    while ((node = walker.nextNode())) {
      var changed = german(node.nodeValue);
      if (changed !== null && changed !== node.nodeValue) { node.nodeValue = changed; }
    }
    if (!root.querySelectorAll) { return; }
    var named = Array.prototype.slice.call(root.querySelectorAll("[aria-label],[title],[placeholder]"));
    if (root.matches && root.matches("[aria-label],[title],[placeholder]")) { named.push(root); }
    named.forEach(function (el) {
      ["aria-label", "title", "placeholder"].forEach(function (name) {
        var value = el.getAttribute(name), changed = value && german(value);
        if (changed && changed !== value) { el.setAttribute(name, changed); }
      });
    });
  }
  doc.documentElement.lang = "de";
  translate(doc.body);
  new MutationObserver(function (records) {
    doc.documentElement.lang = "de";
    records.forEach(function (record) {
      if (record.type === "characterData") { translate(record.target.parentNode || doc.body); }
      record.addedNodes.forEach(function (node) { if (node.nodeType === 1) { translate(node); } else if (node.nodeType === 3 && node.parentNode) { translate(node.parentNode); } });
    });
  }).observe(doc.body, {childList: true, subtree: true, characterData: true});
})();
