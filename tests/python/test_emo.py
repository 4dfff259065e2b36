"""The Python module as a user sees it (pytest; run by scripts/test.sh through CTest with PYTHONPATH set to
the module's folder). Real data from ../shared/data ($EMO_DATA_DIR)."""
import os
import subprocess
import threading
import wave

import numpy as np
import pytest

import emo

DATA = os.environ.get("EMO_DATA_DIR") or os.path.join(os.path.dirname(__file__), "../../../shared/data")
CLIP = os.path.join(DATA, "ravdess-wav/Actor_01/03-01-02-01-01-02-01.wav")  # calm
FACE = os.path.join(DATA, "fer2013/publictest/happy/PublicTest_10130075.png")
needs_data = pytest.mark.skipif(not os.path.isdir(os.path.join(DATA, "ravdess-wav")) and os.environ.get("CI") != "true",
                                reason="data folder not found (set EMO_DATA_DIR)")


def read_wav(path):
    with wave.open(path) as w:
        assert w.getsampwidth() == 2
        pcm = np.frombuffer(w.readframes(w.getnframes()), dtype=np.int16).reshape(-1, w.getnchannels())
        return pcm.mean(axis=1).astype(np.float32) / 32768.0, w.getframerate()


def test_version():
    assert emo.__version__.count(".") == 2


@needs_data
def test_file_and_samples_give_the_same_label():
    by_file = emo.predict(CLIP)
    assert by_file["label"] == "calm"
    assert set(by_file["scores"]) == set(emo.Predictor().speech_labels)
    assert abs(sum(by_file["scores"].values()) - 1.0) < 1e-4
    assert by_file["confidence"] == max(by_file["scores"].values())
    samples, rate = read_wav(CLIP)
    by_samples = emo.predict(samples, sample_rate=rate)
    assert by_samples["label"] == by_file["label"]
    for label, value in by_file["scores"].items():
        assert abs(by_samples["scores"][label] - value) < 1e-4


@needs_data
def test_image_file_and_array():
    result = emo.predict(FACE)
    assert result["kind"] == "image"
    assert len(result["faces"]) == 1
    face = result["faces"][0]
    assert face["label"] == "happy"
    assert face["box"]["width"] == 48
    rng = np.random.default_rng(7)
    gray = rng.integers(0, 256, size=(48, 48), dtype=np.uint8)
    rgb = np.repeat(gray[:, :, None], 3, axis=2)
    a, b = emo.predict(gray)["faces"][0], emo.predict(rgb)["faces"][0]
    assert a["label"] == b["label"]
    for label in a["scores"]:
        assert abs(a["scores"][label] - b["scores"][label]) < 1e-6


def test_errors_carry_emos_message(tmp_path):
    with pytest.raises(emo.ConfigError, match="PredictorOptions::precision"):
        emo.Predictor(precision="fp16")
    with pytest.raises(emo.ConfigError, match="sample_rate"):
        emo.predict(np.zeros(1600, dtype=np.float32))
    bad = tmp_path / "not_audio.wav"
    bad.write_text("plain text\n")
    with pytest.raises(emo.InputError, match="not_audio.wav"):
        emo.predict(str(bad))
    assert issubclass(emo.InputError, emo.Error)


@needs_data
def test_predict_files_marks_unreadable_files(tmp_path):
    bad = tmp_path / "not_audio.wav"
    bad.write_text("plain text\n")
    results = emo.Predictor(threads=2).predict_files([CLIP, str(bad), FACE])
    assert results[0]["label"] == "calm"
    assert "error" in results[1] and results[1]["label"] is None
    assert results[2]["faces"][0]["label"] == "happy"


@needs_data
def test_the_gil_is_released_while_predicting():
    predictor = emo.Predictor(threads=1)
    predictor.predict(CLIP)  # loads the model
    ticks, stop = [0], threading.Event()

    def count():
        while not stop.is_set():
            ticks[0] += 1

    counter = threading.Thread(target=count)
    counter.start()
    try:
        before = ticks[0]
        predictor.predict_files([CLIP] * 40)
        during = ticks[0] - before
    finally:
        stop.set()
        counter.join()
    # Held GIL: the counter only runs in the few switch intervals around the call.
    assert during > 100000


@needs_data
def test_evaluate_held_out_actors():
    e = emo.evaluate(os.path.join(DATA, "ravdess"), speakers=["17", "18", "19", "20"], threads=2)
    assert e["n"] == 240
    assert abs(e["accuracy"] - 0.629) < 0.01  # emo-eval's figure for these actors
    correct = sum(t == p for t, p in zip(e["predictions"]["truth"], e["predictions"]["predicted"]))
    assert correct == sum(e["confusion"][i][i] for i in range(len(e["labels"])))
    assert abs(correct / e["n"] - e["accuracy"]) < 1e-9


@needs_data
def test_evaluate_closed_set():
    turev = os.path.join(DATA, "turev")  # 4 of the model's 8 labels
    open_set = emo.evaluate(turev, speakers=["1234"], threads=2)
    closed = emo.evaluate(turev, speakers=["1234"], threads=2, closed_set=True)
    assert set(closed["predictions"]["predicted"]) <= {"angry", "calm", "happy", "sad"}
    assert not set(open_set["predictions"]["predicted"]) <= {"angry", "calm", "happy", "sad"}
    assert closed["accuracy"] > open_set["accuracy"]


@needs_data
def test_predict_video_timeline(tmp_path):
    video = str(tmp_path / "talk.mp4")
    clip = os.path.join(DATA, "ravdess/Actor_19/03-01-05-02-01-01-19.flac")
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-loop", "1", "-t", "3", "-i", FACE, "-i", clip, "-vf",
                    "scale=192:192,pad=640:480:224:144:gray,format=yuv420p", "-r", "25", "-c:v", "libx264",
                    "-c:a", "aac", "-t", "3", video], check=True)
    p = emo.Predictor()
    result = p.predict_video(video, segment_seconds=1.5)
    assert result["kind"] == "video" and result["audio"] and result["video"]
    assert len(result["segments"]) >= 2
    first = result["segments"][0]
    assert first["face"]["label"] == "happy"
    assert first["faces"][0]["track"] == 1
    assert abs(sum(first["fused"]["scores"].values()) - 1.0) < 1e-4
    assert result["face_tracks"] == 1
    face_only = p.predict_video(video, segment_seconds=1.5, face_weight=1.0)
    assert face_only["fused"]["label"] == "happy" and face_only["weights"]["face"] == 1.0
    with pytest.raises(emo.ConfigError, match="FusionOptions::rule"):
        p.predict_video(video, rule="median")
