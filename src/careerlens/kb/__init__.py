"""careerlens.kb: the role knowledge base and the skill lexicon: data files and the models loading them.

>>> from careerlens.kb import load_kb
>>> kb = load_kb()
>>> kb.role("mle").name
'Machine Learning Engineer'
"""

from careerlens.kb.roles import (
    KnowledgeBase,
    LadderEdge,
    Level,
    PathStep,
    Role,
    RoleSkill,
    load_kb,
    normalize_name,
)
from careerlens.kb.skills import Skill, load_skills

__all__ = [
    "KnowledgeBase",
    "LadderEdge",
    "Level",
    "PathStep",
    "Role",
    "RoleSkill",
    "Skill",
    "load_kb",
    "load_skills",
    "normalize_name",
]
