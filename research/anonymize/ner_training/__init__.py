"""Training of the Norwegian chat NER pipeline shipped at ``models/nb_chat_ner``.

NorNE conversion (:mod:`norne`), chat-like augmentation (:mod:`augment`),
invented chat examples (:mod:`chat_templates`), the lookup lemmatizer
(:mod:`lemmas`), training with spaCy's own trainer (:mod:`train`) and
evaluation (:mod:`evaluate`). Rebuild with ``make ner-model`` or
``python -m research.anonymize.ner_training build NORNE_DIR``.
"""
