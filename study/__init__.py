"""The forgetting study: continual-learning recipes side by side on one stream of corpora.

- :mod:`study.compare`   the harness: run recipes, measure, summarise
- :mod:`study.recipes`   the recipe registry: the product's methods plus baselines, at matched active parameters
- :mod:`study.policies`  how a recipe treats each stage (product methods, joint training)
- :mod:`study.sparse_finetune`, :mod:`study.switch_grow`  baselines that are not product methods
- :mod:`study.flops`     forward FLOPs per token
- :mod:`study.scale`     study sizes; :mod:`study.stream` the streams of real text; :mod:`study.report` the report
"""
