"""AWS Lambda's SQS event source mappings, in-process and on the fake's clock.

- ``_settings``: the mapping's options, checked as CreateEventSourceMapping checks them.
- ``_errors``: Lambda's errors, raised as botocore's Lambda client raises them.
- ``_filters``: Lambda's event-filter patterns (FilterCriteria).
- ``_records``: the SQS event records Lambda builds from received messages.
- ``_context``: the ``context`` object a handler receives.
- ``_calling``: running a handler (sync or async) and reading what it returned.
- ``_responses``: what a handler's return value means for its batch.
- ``_invocation``: the record of one invocation.
- ``_mapping``: one mapping: polling, batching, invoking, deleting.
- ``_scheduler``: every mapping of one fake, as the time-travel code sees them.
"""
