"""K-fold validation fed two ways: NumPy arrays, or pipelines made once per fold.

:func:`dlbook.crossval.k_fold_validate` hands each fold's two parts to
``fit`` as ``tf.data`` pipelines made once per fold. Given NumPy arrays,
Keras makes a new input pipeline for every epoch and every validation. This
module times both on the Boston housing training houses, in the settings of
the chapters' K-fold runs (:data:`SETTINGS`, with fewer epochs than the
chapters train, so that the measurement takes about a minute):

* ``pipelines``: ``k_fold_validate`` itself;
* ``arrays``: :func:`k_fold_on_arrays`, the same folds, the same
  preprocessing and the same ``fit`` and ``evaluate`` calls, with arrays.

The two train the same networks on the same batches, each epoch in its own
shuffled order, so they reach different (equally valid) weights; what is
compared is the time.
"""

from __future__ import annotations

import time

#: name -> the chapter's K-fold setting: ``k_fold_validate`` keyword
#: arguments (chapter 3: batches of one house, validated after every epoch;
#: chapter 4: batches of 16, validated after every epoch, as its comparison
#: of raw and normalized features).
SETTINGS = {
    "chapter 3 (batches of 1)": {"k": 4, "epochs": 10, "batch_size": 1},
    "chapter 4 (batches of 16)": {"k": 4, "epochs": 40, "batch_size": 16},
}


def k_fold_on_arrays(build_model, x, y, k: int, epochs: int, batch_size: int,
                     preprocessing) -> list[dict[str, float]]:
    """K-fold validation with each fold's parts passed to ``fit`` as arrays.

    The loop of ``k_fold_validate`` before its folds were made pipelines:
    the reference of this benchmark. Returns each fold's final scores.
    """
    from sklearn.base import clone
    from sklearn.model_selection import KFold

    from dlbook.speed import VALIDATION_BATCH_SIZE

    scores = []
    for train_index, val_index in KFold(n_splits=k).split(x):
        fold_preprocessing = clone(preprocessing).fit(x[train_index])
        x_fit = fold_preprocessing.transform(x[train_index]).astype("float32")
        x_val = fold_preprocessing.transform(x[val_index]).astype("float32")
        model = build_model()
        model.fit(x_fit, y[train_index], validation_data=(x_val, y[val_index]),
                  epochs=epochs, batch_size=batch_size,
                  validation_batch_size=VALIDATION_BATCH_SIZE, verbose=0)
        scores.append(model.evaluate(x_val, y[val_index], verbose=0,
                                     return_dict=True,
                                     batch_size=VALIDATION_BATCH_SIZE))
    return scores


def kfold_feeding(settings: dict | None = None, log=None) -> dict:
    """Time K-fold validation fed as arrays and as pipelines, per setting.

    Parameters
    ----------
    settings : dict, optional
        ``name -> k_fold_validate keyword arguments`` (``k``, ``epochs``,
        ``batch_size``); by default :data:`SETTINGS`.
    log : callable, optional
        Called with one line per setting.

    Returns
    -------
    dict
        ``samples`` (training houses), and ``settings``: per name, the
        setting's ``k``, ``epochs`` and ``batch_size``, ``seconds``
        (``{"arrays": s, "pipelines": s}``) and ``ratio`` (arrays over
        pipelines: how many times as fast the pipelines are).
    """
    import numpy as np
    from sklearn.preprocessing import StandardScaler

    from dlbook.crossval import k_fold_validate
    from dlbook.datasets import load_boston_housing
    from dlbook.models import build_and_compile_boston_model
    from dlbook.reproducibility import make_deterministic

    (x, y), _ = load_boston_housing()
    x, y = np.asarray(x, "float32"), np.asarray(y, "float32")
    make_deterministic(0)
    # Warm-up: TensorFlow's first training in a process pays one-off costs.
    k_fold_validate(build_and_compile_boston_model, x, y, k=2, epochs=1)
    k_fold_on_arrays(build_and_compile_boston_model, x, y, k=2, epochs=1,
                     batch_size=16, preprocessing=StandardScaler())
    measured = {}
    for name, setting in (SETTINGS if settings is None else settings).items():
        start = time.perf_counter()
        k_fold_on_arrays(build_and_compile_boston_model, x, y,
                         preprocessing=StandardScaler(), **setting)
        arrays = time.perf_counter() - start
        start = time.perf_counter()
        k_fold_validate(build_and_compile_boston_model, x, y,
                        preprocessing=StandardScaler(), **setting)
        pipelines = time.perf_counter() - start
        measured[name] = {**setting,
                          "seconds": {"arrays": arrays, "pipelines": pipelines},
                          "ratio": arrays / pipelines}
        if log:
            log(f"K-fold, {name}: arrays {arrays:.1f} s, pipelines "
                f"{pipelines:.1f} s ({arrays / pipelines:.2f}x)")
    return {"samples": len(x), "settings": measured}
