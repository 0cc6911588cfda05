"""Signals the complaint lifecycle sends, so other parts (notifications) can act without the services
importing them.

`complaint_transitioned` is sent by `services.transition` after the move and its log row are saved, inside
the transaction: receivers that send anything must do so after commit (queue_email does).
Arguments: complaint, name (the transition), from_status, to_status, actor.
"""

from django.dispatch import Signal

complaint_transitioned = Signal()
