"""投诉溯源整改: the complaint register — personal data masked on the way in (``masking``),
cells read as JR/T 0169-2018 codes (``codes``), complaints saved by their number (``register``),
imported from a spreadsheet (``register_import``) or pushed by the complaint system
(``pushed``) — the rules that turn complaints into targeted training, and the loop back from
training to each complaint (``targeting``, ``loop``)."""
