// The SMART check as one types, on the goal draft form (web/templates/goal_new.html).
// The form works without this script: its "Check" button runs the same check on the server, in
// the client's context. Here the draft goes to POST /api/v1/goals/check a moment after typing
// stops, and each problem is shown beside its field group; the "Check" button stays the authority
// (it also knows the client's other active goals and session dates).
(function () {
  "use strict";
  var form = document.getElementById("goal-draft");
  if (!form || !window.fetch) { return; }
  var url = form.getAttribute("data-check-url");
  var token = form.querySelector("input[name=csrf_token]");
  var groups = {};
  document.querySelectorAll("ul.field-problems").forEach(function (ul) { groups[ul.getAttribute("data-group")] = ul; });
  var alias = { deadline_sessions: "deadline_on", set_by: "priority", text: "title" };
  var timer = null;
  var asked = 0;

  function value(name) {
    var field = form.elements.namedItem(name);
    if (!field) { return ""; }
    if (field instanceof RadioNodeList) { return field.value || ""; }
    return (field.value || "").trim();
  }

  function draft() {
    var d = {};
    ["title", "behaviour", "direction", "start_on", "deadline_on", "priority", "deadline_sessions",
      "review_every_weeks"].forEach(function (name) { if (value(name)) { d[name] = value(name); } });
    if (value("metric_kind")) {
      d.metric = { kind: value("metric_kind") };
      ["unit", "period", "scale_min", "scale_max", "instrument"].forEach(function (k) {
        if (value("metric_" + k)) { d.metric[k] = value("metric_" + k); }
      });
    }
    if (value("baseline")) { d.baseline = { value: value("baseline"), source: value("baseline_source") || "entered" }; }
    var target = {};
    if (value("target")) { target.value = value("target"); }
    if (value("target_comparator")) { target.comparator = value("target_comparator"); }
    if (target.value !== undefined) { d.target = target; }
    return d;
  }

  // The check's messages in the therapist's words, as the server's form shows them
  // (web/routes/goals/goal_words.py): the SMART letter as a word, no field names or JSON.
  var smart = { S: "Specific", M: "Measurable", A: "Achievable", R: "Relevant", T: "Time-bound" };
  var says = { text: "The client's words say", behaviour: "The description says", title: "The title says" };
  var fields = [["review_every_weeks", "'Review every \u2026 weeks'"], ["deadline_sessions", "a number of sessions"],
    ["deadline_on", "the deadline"], ["start_on", "the start date"], ["set_by", "who set the goal"],
    ["target.comparator", "the target comparison"], ["target.value", "the target value"],
    ["target.low", "the low end of the target range"], ["target.high", "the high end of the target range"],
    ["baseline.value", "the baseline"], ["baseline.source", "where the baseline comes from"],
    ["metric.kind", "the kind of measure"], ["metric.unit", "the unit"],
    ["metric.period", "the period (per day or per week)"], ["metric.scale_min", "the scale's lowest value"],
    ["metric.scale_max", "the scale's highest value"], ["metric.instrument", "the questionnaire"],
    ["metric.bounds", "the scale"]];

  function metricWords(json) {
    var m;
    try { m = JSON.parse(json.replace(/^metric /, "")); } catch (e) { return "a measure"; }
    if (!m || typeof m !== "object") { return "a measure"; }
    return "a " + (m.kind || "measure") + (m.unit ? " of " + m.unit : "") + (m.period ? " per " + m.period : "");
  }

  function words(text) {
    if (!text) { return ""; }
    text = text.replace(/(?:metric )?\{[^{}]*\}/g, metricWords);
    Object.keys(says).forEach(function (name) {
      if (text.indexOf(name + " says ") === 0) { text = says[name] + text.slice(name.length + 5); }
    });
    fields.forEach(function (pair) {
      var name = pair[0].replace(".", "\\.");
      text = text.replace(new RegExp("(^|[^\\w.])" + name + "(?!\\w)", "g"), function (all, before) { return before + pair[1]; });
    });
    text = text.replace(", as YYYY-MM-DD", "").replace(" as YYYY-MM-DD", "");
    return text.charAt(0).toUpperCase() + text.slice(1);
  }

  function groupOf(field) {
    var head = field.split(".")[0].split("[")[0];
    head = alias[head] || head;
    return groups[head] ? head : "general";
  }

  function show(problems) {
    Object.keys(groups).forEach(function (g) { groups[g].textContent = ""; });
    var errors = 0;
    problems.forEach(function (p) {
      // The primary-goal count needs the client's other goals: the server's check reports it.
      if (p.code === "R-too-many-primary") { return; }
      if (p.severity === "error") { errors += 1; }
      var li = document.createElement("li");
      li.className = p.severity;
      var label = document.createElement("strong");
      var word = p.code && p.code.charAt(1) === "-" ? smart[p.code.charAt(0)] : "";
      label.textContent = (p.severity === "error" ? "Needs fixing" : "Advice") + (word ? " (" + word + ")" : "") + ": ";
      li.appendChild(label);
      li.appendChild(document.createTextNode(words(p.message) + " "));
      if (p.suggestion) {
        var hint = document.createElement("span");
        hint.className = "hint";
        hint.textContent = words(p.suggestion);
        li.appendChild(hint);
      }
      (groups[groupOf(p.field)] || groups.general).appendChild(li);
    });
    var summary = document.getElementById("check-summary");
    if (summary) {
      summary.classList.remove("muted");
      summary.textContent = errors ? "The SMART check found " + errors + " thing" + (errors === 1 ? "" : "s") +
        " to fix before the goal can be activated." : "The SMART check finds nothing to fix: the goal can be activated.";
    }
  }

  function check() {
    var mine = ++asked;
    fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": token ? token.value : "" },
      body: JSON.stringify(draft())
    }).then(function (r) { return r.ok ? r.json() : null; }).then(function (body) {
      if (body && mine === asked) { show(body.problems || []); }
    }).catch(function () { /* offline: the Check button still works */ });
  }

  function later() {
    if (timer) { clearTimeout(timer); }
    timer = setTimeout(check, 500);
  }

  form.addEventListener("input", later);
  form.addEventListener("change", later);
}());
