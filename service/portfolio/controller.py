"""HTTP: look a home up before reporting, so a form can confirm the address."""

from typing import Annotated

import msgspec
from litestar import Controller, get
from litestar.params import Parameter

from service.api_types import CorporationRef
from service.dependencies import DbPool
from service.domain.addresses import format_postcode, normalise_address
from service.errors import problem_specs
from service.portfolio.store import home_by_address


class AddressLookup(msgspec.Struct):
    known: bool
    postcode: str  # shown as "9711 AB"
    house_number: int
    house_letter: str | None
    addition: str | None
    street: str | None = None
    city: str | None = None
    corporation: CorporationRef | None = None


class AddressesController(Controller):
    path = "/addresses"
    tags = ["tenant"]

    @get(
        "/",
        summary="Is this home in the register, and who owns it?",
        description="Answers 200 with known=false for a valid address that is not in the register.",
        responses=problem_specs(400),
    )
    async def lookup(
        self,
        db_pool: DbPool,
        postcode: Annotated[str, Parameter(max_length=12, examples=[])],
        house_number: Annotated[int, Parameter(ge=1, le=99999)],
        house_letter: Annotated[str | None, Parameter(max_length=3)] = None,
        addition: Annotated[str | None, Parameter(max_length=8)] = None,
    ) -> AddressLookup:
        address = normalise_address(postcode, house_number, house_letter, addition)
        async with db_pool.acquire() as connection:
            home = await home_by_address(connection, address)
        shown = AddressLookup(
            known=home is not None,
            postcode=format_postcode(address.postcode),
            house_number=address.house_number,
            house_letter=address.house_letter,
            addition=address.addition,
        )
        if home is not None:
            shown.street = home["street"]
            shown.city = home["city"]
            shown.corporation = CorporationRef(home["corporation_code"], home["corporation_name"])
        return shown
