"""Personal data as public pages show it: enough to recognise, not enough to reuse."""


def mask_name(name: str) -> str:
    """ "Siti Rahmawati" -> "Siti R********": the first word, then initials."""
    words = name.split()
    if not words:
        return ""
    rest = [word[0] + "*" * (len(word) - 1) for word in words[1:]]
    first = words[0] if len(words) > 1 else words[0][0] + "*" * (len(words[0]) - 1)
    return " ".join([first, *rest])


def mask_digits(value: str, *, keep_start: int = 0, keep_end: int = 4) -> str:
    """ "3201014101900001" -> "************0001" (NIK), "+6281234567890" -> "+62*******7890"."""
    if len(value) <= keep_start + keep_end:
        return "*" * len(value)
    hidden = len(value) - keep_start - keep_end
    return value[:keep_start] + "*" * hidden + value[len(value) - keep_end :]


def mask_nik(nik: str) -> str:
    return mask_digits(nik, keep_end=4)
