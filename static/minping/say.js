/* 朗读 (issue 19): reads a question aloud when its button is tapped, with the browser's own voice
   in the page's language if it has one, else the server's MP3 (fetched only then). Speaking and
   play() start inside the tap, as WeChat's browsers (iOS WKWebView, Android X5) require. */
(function () {
  var synth = window.speechSynthesis, audio;
  var buttons = document.querySelectorAll("button.say");
  // Chinese is read in Mandarin (issue 19): mainland voices first, then Singapore, then Taiwan;
  // never a Cantonese one (zh-HK, zh-MO, yue), for which the server's Mandarin MP3 plays instead.
  var WANTED = {zh: [/^(zh-cn|cmn|zh-hans)(-|$)/, /^zh$/, /^zh-sg(-|$)/, /^zh-(hant-)?tw(-|$)/], en: [/^en(-|$)/]};
  var CANTONESE = /(^yue|-hk|-mo)(-|$)/;  // zh-Hans-HK is Hong Kong: Cantonese all the same
  function voice(lang) {
    var voices = synth && synth.getVoices ? synth.getVoices() : [], wanted = WANTED[lang] || [];
    for (var w = 0; w < wanted.length; w++) {
      for (var i = 0; i < voices.length; i++) {
        var tag = (voices[i].lang || "").toLowerCase().replace(/_/g, "-");
        if (!CANTONESE.test(tag) && wanted[w].test(tag)) return voices[i];
      }
    }
    return null;
  }
  function show() {
    for (var i = 0, b; (b = buttons[i]); i++) b.hidden = !(voice(b.getAttribute("data-lang")) || b.getAttribute("data-audio"));
  }
  show();
  if (synth && synth.addEventListener) synth.addEventListener("voiceschanged", show);
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("button.say");
    if (!button) return;
    var v = voice(button.getAttribute("data-lang")), url = button.getAttribute("data-audio");
    if (synth) synth.cancel();
    if (audio) audio.pause();
    if (v) {
      var words = new SpeechSynthesisUtterance(button.getAttribute("data-text"));
      words.voice = v;
      words.lang = v.lang;
      words.rate = 0.9;
      synth.speak(words);
    } else if (url) {
      audio = new Audio(url);
      var playing = audio.play();
      if (playing && playing.catch) playing.catch(function () {});  // a refusal leaves the page as it was
    }
  });
})();
