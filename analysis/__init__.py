"""Statistics, findings and Norwegian formatting: the layer between ``etl`` and the
``report``/``dashboard`` layers that present them.

``analysis`` reads frames (never files and never Dash): :mod:`analysis.stats` judges whether a
change is larger than chance, :mod:`analysis.findings` and :mod:`analysis.survey` turn figures
into ranked Norwegian sentences, :mod:`analysis.format` writes numbers as ``1 234,5``.
"""
