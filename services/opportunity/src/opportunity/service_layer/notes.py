"""Use cases of private notes (个人作战笔记): written by the customer's owner,
read by the author, the author's manager and admin, edited by the author
only, never deleted (domain/access.py and domain/note.py hold the rules)."""

from __future__ import annotations

from collections.abc import Callable

from crm_shared.context import Caller
from crm_shared.domain.errors import NotFound, PermissionDenied
from crm_shared.ids import new_id

from opportunity.domain import access
from opportunity.domain.customer import Customer
from opportunity.domain.note import Note, edit_note, new_note
from opportunity.service_layer.common import team_of, visible_customer
from opportunity.service_layer.uow import OpportunityUnitOfWork

UowFactory = Callable[[], OpportunityUnitOfWork]


class NoteHandlers:
    def __init__(self, uow: UowFactory) -> None:
        self.uow = uow

    async def _readable_authors(
        self, uow: OpportunityUnitOfWork, caller: Caller, customer_id: str
    ) -> tuple[Customer | None, frozenset[str] | None]:
        """Whose notes on the customer the caller reads (None: everyone's),
        and the customer if the caller may see it. A note follows its
        author: the author keeps reading it after the customer was handed
        over, so a customer out of scope is still answered for those notes;
        without the customer and without such notes it is not found."""
        if caller.role not in access.NOTE_READERS:
            await visible_customer(uow, caller, customer_id)
            raise PermissionDenied("private notes are for their author, the author's manager and admin")
        authors = access.note_authors_readable(caller, await team_of(uow, caller))
        try:
            return await visible_customer(uow, caller, customer_id), authors
        except NotFound:
            if authors and await uow.notes.for_customer(caller.tenant_id, customer_id, authors=authors):
                return None, authors
            raise

    async def add(self, caller: Caller, customer_id: str, text: str) -> Note:
        async with self.uow() as uow:
            customer = await visible_customer(uow, caller, customer_id)
            if not access.may_write_note(caller, customer.owner_id):
                raise PermissionDenied("only the customer's owner writes private notes")
            note = new_note(
                note_id=new_id(),
                tenant_id=caller.tenant_id,
                customer_id=customer_id,
                author_id=caller.user_id,
                text=text,
                now=uow.clock.now(),
            )
            await uow.notes.add(note)
            await uow.commit()
        return await self._reread(caller, customer_id, note.note_id)

    async def edit(self, caller: Caller, customer_id: str, note_id: str, text: str) -> Note:
        """The author edits (the old text stays in the history), also after
        the customer went to another rep; nobody else, and nobody deletes."""
        async with self.uow() as uow:
            _, authors = await self._readable_authors(uow, caller, customer_id)
            note = await uow.notes.get(caller.tenant_id, customer_id, note_id, for_update=True)
            if note is None or not (authors is None or note.author_id in authors):
                raise NotFound(f"note {note_id} not found")
            if not access.may_edit_note(caller, note.author_id):
                raise PermissionDenied("only the author edits a private note")
            edited = edit_note(note, caller, text, uow.clock.now())
            if edited.text != note.text:
                await uow.notes.save(edited)
                await uow.commit()
        return await self._reread(caller, customer_id, note_id)

    async def _reread(self, caller: Caller, customer_id: str, note_id: str) -> Note:
        """The note as stored, with its history."""
        async with self.uow() as uow:
            note = await uow.notes.get(caller.tenant_id, customer_id, note_id)
            assert note is not None
            return note

    async def list(self, caller: Caller, customer_id: str) -> list[Note]:
        """The notes on the customer the caller may read: their own, their
        team's (a manager), everyone's (admin) — never another rep's, even
        when that rep owned the customer before the caller."""
        async with self.uow() as uow:
            _, authors = await self._readable_authors(uow, caller, customer_id)
            return await uow.notes.for_customer(caller.tenant_id, customer_id, authors=authors)
