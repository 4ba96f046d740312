"""exercises: what checks a learner's own code ("your turn" cells, chapters 01-12).

    checker         cl.check(name, fn): a learner's function run on fixed cases, compared
                    with cnnlib's, one line printed ("not yet", "right", "not quite ...")
    cases           the fixed, seeded cases per checked function
    reference       what check compares with where cnnlib has no function (chapter 10)
    mistakes        the catalogue: what learners get wrong, each a key, a hint, a chapter;
                    its variants in mistakes_conv (chapters 01-08), mistakes_pool (09-12)
                    and mistakes_more (the write-it exercises of chapters 02, 03, 06, 10)
    answers         cl.check_answer(mine, expected): a "compute" or "predict, then run"
                    answer compared by value, one line printed
    capstone        chapter 12: the network built from the learner's functions, checked
                    one SGD step against cnnlib's, and trained

The exercises import the math, the network and the data, never a view; the top-level
namespace serves their public names (``cl.check``, ``cl.check_answer``,
``cl.check_network``).  Pure numpy, no
threads or processes: they run in the in-browser copy of the course too.
"""
