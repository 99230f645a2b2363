"""Uses classes and an enum from another source file."""

from imports_base import Base, Color, Opt

from spockc import spock


@spock
class Train(Base):
    opt: Opt = Opt(lr=0.5)
    tint: Color = Color.blue
