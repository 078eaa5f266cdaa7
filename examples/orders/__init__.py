"""A small order-processing service, the example application of pytest-fakesqs.

- :mod:`orders.queues` creates the queues (orders, its dead-letter queue, a FIFO variant).
- :mod:`orders.producer` publishes order events, one by one or in batches.
- :mod:`orders.worker` long-polls the queue, processes, deletes, extends the visibility of slow
  jobs, and leaves poison messages to SQS's redrive policy.

Nothing here knows about the fake: the test suite in ``examples/tests`` switches it on.
"""
