"""Validators of notify: none of its own yet (its schemas use the shared strict validators
``splpdepok_bool`` and ``splpdepok_text_list``); capability.validators() would list them."""
