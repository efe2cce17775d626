"""The book's two speed settings, read by every chapter from here.

They change how fast Keras runs a training, not what it computes. They live
in one place so that the book explains them once (chapter 3, "Developing
with Keras: a quick overview") and its lessons show them by name.

Attributes
----------
STEPS_PER_EXECUTION : int
    Training steps that Keras runs per call of its compiled training
    function (``compile(steps_per_execution=...)``). Keras' TensorFlow
    trainer runs them in one ``tf.while_loop`` over the same
    ``one_step_on_data`` function that a single step calls
    (``multi_step_on_iterator`` in
    ``keras/src/backend/tensorflow/trainer.py``), so the updates are the
    same; on a CPU, where a step of a small network takes a millisecond or
    two, it saves the time Python spends between steps.
VALIDATION_BATCH_SIZE : int
    Batch size of the per-epoch validation in the book's trainings with
    small batches (:func:`dlbook.crossval.k_fold_validate`'s
    ``validation_batch_size``). The validation loss is a mean over samples
    whatever the batches, and evaluating 100 houses in batches of one
    would take longer than training on 300.

Examples
--------
>>> from dlbook.speed import STEPS_PER_EXECUTION
>>> STEPS_PER_EXECUTION >= 1
True
"""

STEPS_PER_EXECUTION = 32
VALIDATION_BATCH_SIZE = 128
