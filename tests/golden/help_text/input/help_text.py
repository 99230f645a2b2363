"""Help text from docstrings and comments."""

from spockc import spock


@spock
class Documented:
    """A summary that runs
    over two lines.

    More detail that is not the summary.

    Attributes:
        alpha: from the Attributes
            section, continued
        beta (int): with a type in parentheses
    """

    alpha: float = 0.5
    beta: int = 1  # the Attributes section wins over this comment
    # a comment above
    # on two lines
    gamma: int = 2
    delta: str = "x"  # a comment beside
    epsilon: str = 'a """ quote and a backslash \\'  # ends with a "quote"
    undocumented: int = 0
