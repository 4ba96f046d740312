"""views: the figures and explorers of the course, one module per explorer family.

    draw        the drawing primitives all figures share (grid with values, heat map,
                outline, colours, text contrast); explore: the explorers' slider and show
    vec (ch. 01), chain (02-03), conv (04), im2col (05), backward (06-07),
    indicator (08-09), pooling (09), reverse (04, 10), relu (11), training and digit (12)
    paint       a frame's figure rendered once, then repainted only where a step changed it
                (damage: what changed and where; canvas: the Agg canvas it draws on, text
                from caches, and the PNG encoder); relayout: a figure given new shapes
    timing      each explorer's time per move of each control (``bench --explorers``)

Each explorer family (vec, conv, im2col, backward, indicator, pooling, digit) holds a
pure ``<family>_step(...)`` (numbers and a one-line "text", no drawing), the figure
``draw_<family>(step, fig=None)`` that draws such a step and nothing else, and the
ipywidgets explorer that computes the step once per slider move and shows it through an
``explore.Frame``: the figure is drawn once per layout, then redrawn in place, only the
pixels of what changed rendered again (``paint``).  A notebook does the same:
``step = cl.conv_step(...)``, ``cl.draw_conv(step)``, ``print(step["text"])``.
Views import the math, the network and the data; nothing of cnnlib imports a view,
except the top-level namespace, which serves every public name here as ``cl.<name>``
on first use (``bench --explorers`` reaches the timing that way).
"""
