"""Lambda's SQS event source mapping, locally: a thread that polls a moto queue and hands each
batch to a function through its Runtime API emulator, as Lambda does for the thumbnail
function in terraform/ (S3 -> SQS -> function).

Messages the function processed are deleted; those it lists in `batchItemFailures`, and a
whole batch whose invocation failed, stay on the queue and come back after the queue's
visibility timeout, as on AWS. S3's s3:TestEvent messages are deleted unseen.
"""

import json
import threading
import time

import localaws as L


class SqsEventSource:
    """Poll @p queue_url on @p moto and invoke the runtime behind @p emulator with each batch."""

    def __init__(self, moto, queue_url, emulator, batch_size=10, timeout_s=120.0):
        self.moto = moto
        self.queue_url = queue_url
        self.emulator = emulator
        self.batch_size = batch_size
        self.timeout_s = timeout_s
        self.batches = 0
        self.errors = []  # what went wrong in the poller (shown by the caller, never raised)
        self._stop = threading.Event()
        self._thread = None

    def start(self):
        self._sqs = self.moto.client("sqs")
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def stop(self):
        self._stop.set()
        if self._thread:
            self._thread.join(10)
            self._thread = None

    def _run(self):
        while not self._stop.is_set():
            try:
                self._poll_once()
            except Exception as e:  # noqa: BLE001 - moto restarting, a closed socket: retry
                self.errors.append(repr(e))
                self._stop.wait(0.5)

    def _poll_once(self):
        r = self._sqs.receive_message(QueueUrl=self.queue_url, WaitTimeSeconds=1,
                                      MaxNumberOfMessages=self.batch_size, AttributeNames=["All"])
        batch = []
        for m in r.get("Messages", []):
            if "Records" in json.loads(m["Body"]):
                batch.append(m)
            else:  # s3:TestEvent
                self._sqs.delete_message(QueueUrl=self.queue_url, ReceiptHandle=m["ReceiptHandle"])
        if not batch:
            return
        res = self.emulator.invoke(L.sqs_event(batch), timeout=self.timeout_s)
        self.batches += 1
        if res.kind != "response":
            return  # the whole batch comes back after the visibility timeout
        failed = {f["itemIdentifier"] for f in res.json().get("batchItemFailures", [])}
        for m in batch:
            if m["MessageId"] not in failed:
                self._sqs.delete_message(QueueUrl=self.queue_url, ReceiptHandle=m["ReceiptHandle"])

    def wait_idle(self, timeout=30.0):
        """Block until the queue is empty and nothing is in flight (for tests)."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            a = self._sqs.get_queue_attributes(QueueUrl=self.queue_url, AttributeNames=[
                "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"])["Attributes"]
            if a["ApproximateNumberOfMessages"] == "0" and a["ApproximateNumberOfMessagesNotVisible"] == "0":
                return
            time.sleep(0.2)
        raise TimeoutError("the queue did not drain")
