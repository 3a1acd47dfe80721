"""Scam check and message authenticity.

``Checker.check(text)`` → :class:`Verdict` (``official`` | ``scam`` | ``suspicious`` |
``clean``, a score in [0, 1] and short Vietnamese reasons). Modules:

- ``urls``: links (with or without a scheme) and host analysis (look-alikes, homoglyphs,
  punycode, official names inside other domains, shorteners, .apk);
- ``prepare``: placeholders for links/phones/money/codes, normalisation, clauses;
- ``phrases``: request rules with negation, warning framing and who-asks-whom;
- ``official``: near-duplicate matching against sent broadcasts;
- ``checker``: rule signals, official match, verdicts; ``verdict``: the Signal/Verdict types;
- ``corpus``: the labelled corpus (messages/scam_corpus); ``model``: the text classifier and
  combiner (trained, cached); ``hybrid``: rules + classifier → calibrated score → verdict;
- ``reasons``: at most three reasons, most specific first, one per family;
- ``context``: a checker built from settings and store;
- ``replies``: the messages residents see; ``evaluate``: the labelled-set evaluation.
"""

from bot.scam.checker import GROUP_CONFIDENCE, VERDICTS, Checker, Signal, Verdict

__all__ = ["Checker", "Verdict", "Signal", "VERDICTS", "GROUP_CONFIDENCE"]
