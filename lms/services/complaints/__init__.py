"""投诉溯源整改: the complaint register, the rules that turn complaints into targeted training,
and the loop back from training to each complaint (``targeting``, ``loop``)."""
